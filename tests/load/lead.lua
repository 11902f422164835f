-- wrk script: every request POSTs a lead for a person never submitted before (a fresh Moscow mobile number),
-- to $BENCH_PATH ("/api/v1/leads" or the bare "/_bench/json"), with the webmaster's key.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  base = tonumber(os.getenv("BENCH_PHONE_BASE") or "0")
  path = os.getenv("BENCH_PATH")
  headers = { ["Content-Type"] = "application/json", ["X-Api-Key"] = os.getenv("BENCH_KEY") }
end

function request()
  counter = counter + 1
  local n = (base + tid * 3000000 + counter) % 10000000
  local body = string.format(
    '{"niche":"real-estate","region":"RU-MOW","name":"Bench Person","phone":"+7916%07d","email":null,' ..
    '"fields":{"deal_type":"buy","rooms":2,"budget":12000000,"timeframe":"now"},' ..
    '"consent":{"text":"I agree to be contacted.","givenAt":"2026-11-20T10:00:00Z","pageUrl":"https://landing.example/flat","ip":"203.0.113.5"},' ..
    '"sub1":"bench","formFillSeconds":41}', n)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status ~= 200 and status ~= 201 then failed = (failed or 0) + 1 end
end

function done(summary, latency, requests)
  local errors = 0
  for _, t in ipairs(threads) do errors = errors + (t:get("failed") or 0) end
  io.write(string.format("non-2xx answers: %d\n", errors))
end
