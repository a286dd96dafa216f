-- wrk script of `npm run bench` (docs/operations.md "Benchmarks"): every request is one refund
-- through the face named by $WRK_FACE, on an order drawn at random from $WRK_IDS (one a line),
-- with the credential header in $WRK_AUTH ("name: value"):
--   admin   POST /admin/orders/:id/refund            {"amount_minor":1}
--   points  POST /points/api/v1/orders/:uuid/refund  {"amount":0.01,"reason":"bench"}
--   mpg     POST /mpg/v1/orders/:id/refund           {"amount":1,"transaction_id":<fresh UUID>}
--   backd   POST /backd/refund                       {"backd_order_id","merchant_order_id","refund_amount":0.01}
--           (a line of $WRK_IDS is "<backd_order_id> <merchant_order_id>")
--   empty   POST /refund                             {"amount_minor":1} (the empty-route ceiling)
-- done() prints one line, "WRK key=value …", with wrk's own latency percentiles in microseconds,
-- and the first answer that was not 2xx, if any, on a "WRK_BAD" line.
local face = os.getenv("WRK_FACE") or "admin"
local ids = {}
local idsFile = os.getenv("WRK_IDS")
if idsFile and idsFile ~= "" then
  for line in io.lines(idsFile) do
    if line ~= "" then ids[#ids + 1] = line end
  end
end
local auth = os.getenv("WRK_AUTH")
local hname, hvalue
if auth and auth ~= "" then hname, hvalue = auth:match("^([^:]+):%s*(.*)$") end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  bad = 0
  first_bad = ""
  wrk.headers["content-type"] = "application/json"
  if hname then wrk.headers[hname] = hvalue end
end

local function uuid()
  local t = {}
  for i = 1, 16 do t[i] = math.random(0, 255) end
  t[7] = 0x40 + (t[7] % 16)
  t[9] = 0x80 + (t[9] % 64)
  return string.format("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", unpack(t))
end

function request()
  if face == "empty" then
    return wrk.format("POST", "/refund", nil, '{"amount_minor":1}')
  end
  local id = ids[math.random(#ids)]
  if face == "mpg" then
    return wrk.format("POST", "/mpg/v1/orders/" .. id .. "/refund", nil,
      '{"amount":1,"transaction_id":"' .. uuid() .. '"}')
  elseif face == "points" then
    return wrk.format("POST", "/points/api/v1/orders/" .. id .. "/refund", nil,
      '{"amount":0.01,"reason":"bench"}')
  elseif face == "backd" then
    local backd, merchant = id:match("^(%S+)%s+(%S+)$")
    return wrk.format("POST", "/backd/refund", nil, '{"backd_order_id":"' .. backd ..
      '","merchant_order_id":"' .. merchant .. '","refund_amount":0.01}')
  else
    return wrk.format("POST", "/admin/orders/" .. id .. "/refund", nil, '{"amount_minor":1}')
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

function done(summary, latency, requests)
  local total = 0
  local sample = ""
  for _, t in ipairs(threads) do
    total = total + t:get("bad")
    if sample == "" then sample = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d bad=%d connect=%d read=%d write=%d timeout=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%d\n",
    summary.requests, summary.duration, total, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
  if sample ~= "" then io.write("WRK_BAD " .. string.gsub(sample, "[\r\n]", " ") .. "\n") end
end
