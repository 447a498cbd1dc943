-- wrk script of `npm run bench`: optionally sends the lines of a file as JSON request bodies (each
-- line once, spread over wrk's threads, starting at a given line), optionally at a held rate, and
-- prints a JSON summary at the end, with how many requests went past the end of the file
-- ("ranOut": the bench sized the file too small for this machine's rate).
-- Usage: wrk -s load.lua <url> -- <file or -> <threads> <first line> <method> <rate per second or 0>
--          [statuses]
-- With "statuses" the summary counts the answers other than 2xx by status ("statuses"), at the
-- cost of wrk handing every answer to Lua (so not at saturation), and samples the first few
-- answers' bodies (error answers carry no secret).
--
-- With a rate, each thread sends at its share of it on a fixed schedule (open loop: a slow answer
-- does not delay the next request while connections are free), so the latencies are those of
-- the service at that load rather than of a saturated one.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } twofold_timespec;
  int clock_gettime(int clock, twofold_timespec *ts);
]]
local ts = ffi.new("twofold_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

function init(args)
  bodies = nil
  if args[1] ~= "-" then
    bodies = {}
    for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  end
  stride = tonumber(args[2])
  index = tonumber(args[3]) + id - stride
  wrk.method = args[4] or "POST"
  if bodies then wrk.headers["Content-Type"] = "application/json" end
  local rate = tonumber(args[5] or "0")
  interval = rate > 0 and (stride * 1000 / rate) or 0
  next_at = nil
  if args[6] == "statuses" then
    statuses = {}
    samples = {}
    response = function(status, headers, body)
      if status < 200 or status > 299 then
        statuses[status] = (statuses[status] or 0) + 1
        if #samples < 3 then samples[#samples + 1] = string.sub(body or "", 1, 160) end
      end
    end
  end
end

function delay()
  if interval == 0 then return 0 end
  local now = now_ms()
  next_at = math.max(next_at or now, now - interval)
  local wait = next_at - now
  next_at = next_at + interval
  return math.max(0, math.floor(wait))
end

function request()
  if not bodies then return wrk.format() end
  index = index + stride
  -- Past the end the last body repeats (and is refused as a replay): size the file for the run.
  if index > #bodies then ran_out = (ran_out or 0) + 1 end
  return wrk.format(nil, nil, nil, bodies[index] or bodies[#bodies])
end

function done(summary, latency, requests)
  local e = summary.errors
  local ran_out = 0
  local counted = {}
  for _, thread in ipairs(threads) do
    ran_out = ran_out + (thread:get("ran_out") or 0)
    for status, n in pairs(thread:get("statuses") or {}) do counted[status] = (counted[status] or 0) + n end
  end
  local sampled = {}
  for _, thread in ipairs(threads) do
    for _, body in ipairs(thread:get("samples") or {}) do
      if #sampled < 3 then sampled[#sampled + 1] = string.format("%q", (body:gsub("[^%w%p ]", ""))) end
    end
  end
  local statuses = {}
  for status, n in pairs(counted) do statuses[#statuses + 1] = string.format('"%d":%d', status, n) end
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"errors":%d,"p50Us":%d,"p99Us":%d,"ranOut":%d,' ..
      '"timeouts":%d,"statuses":{%s},"samples":[%s]}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), ran_out, e.timeout, table.concat(statuses, ","),
    table.concat(sampled, ",")))
end
