-- The wrk script of bench/load.sh (wrk 4.1, LuaJIT).
--
-- LOAD_SPEC names a Lua file (written by `bench/load_support.py fixtures`) that returns a list
-- of requests: {name=, method=, path=, headers={...}, body=, expect=}.
--   * one request: it goes into wrk.method/path/headers/body and no request() function is
--     defined, so wrk formats it once and resends the same bytes (the cheapest way to drive
--     wrk, which shares the machine's two cores with the server);
--   * several (the soak): request() rotates through them, each thread starting at a different
--     place; they are formatted once per thread in init().
-- LOAD_COUNT=1 counts responses by status code in response(). Defining response() makes wrk
-- hand every response's headers and body to Lua, which costs wrk CPU, so the page
-- measurements leave it off and rely on wrk's own non-2xx/3xx count.
-- done() prints one line, "LOADJSON {...}", that bench/load_support.py reads.

local spec = dofile(os.getenv("LOAD_SPEC"))
local counting = os.getenv("LOAD_COUNT") == "1"

-- Globals, not locals: thread:get() and thread:set() reach a thread's globals only.
counts = {}
id = 0

if #spec == 1 then
  local r = spec[1]
  wrk.method = r.method
  wrk.path = r.path
  wrk.body = r.body
  for k, v in pairs(r.headers) do wrk.headers[k] = v end
else
  local reqs, i = {}, 0
  function init(args)
    for n, r in ipairs(spec) do
      local h = {}
      for k, v in pairs(r.headers) do h[k] = v end
      -- wrk.format adds Host (from the URL) and Content-Length.
      reqs[n] = wrk.format(r.method, r.path, h, r.body)
    end
    i = (id * 5) % #reqs
  end
  function request()
    i = i % #reqs + 1
    return reqs[i]
  end
end

if counting then
  function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
  end
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function num(x, fmt)
  if x == nil or x ~= x or x == math.huge or x == -math.huge then return "null" end
  return string.format(fmt or "%.0f", x)
end

function done(summary, latency, requests)
  local statuses, parts = {}, {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    if type(c) == "table" then
      for k, v in pairs(c) do statuses[k] = (statuses[k] or 0) + v end
    end
  end
  for k, v in pairs(statuses) do
    table.insert(parts, string.format('"%d": %d', k, v))
  end
  local e = summary.errors
  io.write("LOADJSON {",
    '"requests": ', num(summary.requests), ', "duration_us": ', num(summary.duration),
    ', "bytes": ', num(summary.bytes),
    ', "connect": ', num(e.connect), ', "read": ', num(e.read), ', "write": ', num(e.write),
    ', "timeout": ', num(e.timeout), ', "status": ', num(e.status),
    ', "mean_us": ', num(latency.mean, "%.1f"), ', "max_us": ', num(latency.max),
    ', "p50_us": ', num(latency:percentile(50)), ', "p90_us": ', num(latency:percentile(90)),
    ', "p99_us": ', num(latency:percentile(99)),
    ', "counting": ', tostring(counting), ', "statuses": {', table.concat(parts, ", "), "}",
    "}\n")
end
