-- The wrk script of a serve benchmark round (bench/serve/wrk.ts): POSTs the target's body and
-- headers, starts connection i late by i/conns of the spread (so paced answers do not come in
-- lockstep), checks every body (the SSE text pieces joined, or the plain text, against the
-- expected text) and prints one JSON line at the end. Its inputs come as BENCH_* variables.
local conns = tonumber(os.getenv("BENCH_CONNS"))
local threads = tonumber(os.getenv("BENCH_THREADS"))
local spread = tonumber(os.getenv("BENCH_SPREAD"))
local expect = os.getenv("BENCH_EXPECT")
local want = os.getenv("BENCH_TEXT")
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
for line in os.getenv("BENCH_HEADERS"):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+): (.*)$")
  wrk.headers[name] = value
end
local all, made = {}, 0
function setup(thread)
  thread:set("id", made)
  made = made + 1
  table.insert(all, thread)
end
local started = 0
function delay()
  started = started + 1
  if started > conns / threads then return 0 end
  return ((started - 1) * threads + id) * spread / conns
end
bad = 0
first_bad = ""
local function text_of(body)
  if expect == "text" then return body end
  if not body:find("data: [DONE]", 1, true) then return nil end
  local parts = {}
  for piece in body:gmatch('"text":"(.-)","index"') do parts[#parts + 1] = piece end
  return table.concat(parts)
end
function response(status, headers, body)
  if status ~= 200 or text_of(body) ~= want then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. (body:sub(1, 120):gsub('[%c"\\]', " ")) end
  end
end
function done(summary, latency, requests)
  local failed, why = 0, ""
  for _, thread in ipairs(all) do
    failed = failed + (thread:get("bad") or 0)
    if why == "" then why = thread:get("first_bad") or "" end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%f,"p50":%f,"p99":%f,"bad":%d,"errors":%d,"why":"%s"}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed, e.connect + e.read + e.write + e.status + e.timeout, why))
end
