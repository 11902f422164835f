-- wrk script: every request a GET /postback for a click id never used before in this run.
-- Reads ids from $BENCH_IDS (one per line); thread t of n takes ids t, t+n, t+2n, ... and wraps when out.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
  n = tonumber(os.getenv("BENCH_THREADS") or "2")
  i = tid + 1
  path = os.getenv("BENCH_PATH")          -- "/postback" or "/_bench/ok"
  query = os.getenv("BENCH_QUERY")        -- "&goal=...&token=..."
  served = 0
end

function request()
  local id = ids[i]
  i = i + n
  if i > #ids then i = tid + 1 end
  served = served + 1
  return wrk.format("GET", path .. "?click_id=" .. id .. query)
end

function response(status, headers, body)
  if status ~= 200 then failed = (failed or 0) + 1 end
end

function done(summary, latency, requests)
  local errors = 0
  for _, t in ipairs(threads) do errors = errors + (t:get("failed") or 0) end
  io.write(string.format("non-200 answers: %d\n", errors))
end
