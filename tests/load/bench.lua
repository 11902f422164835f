-- wrk script for tests/load/bench-clicks.sh, used for the baseline AND the click endpoint so the client does
-- the same work on both: every request gets its own sub1 and User-Agent (a new visitor each time).
-- Usage: wrk ... -s bench.lua http://host:port -- /path [tag]
-- At the end prints one parseable line: BENCH_RESULT requests=N status_errors=N connect=N read=N write=N timeout=N

local path = "/"
local tag = "run"
local counter = 0
local threads = {}
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  path = args[1] or "/"
  tag = args[2] or "run"
  sep = string.find(path, "?", 1, true) and "&" or "?"
end

function request()
  counter = counter + 1
  local id = tag .. "-" .. tostring(tid) .. "-" .. tostring(counter)
  return wrk.format("GET", path .. sep .. "sub1=" .. id, {
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) bench/" .. id,
  })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT requests=%d status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, e.status, e.connect, e.read, e.write, e.timeout))
end
