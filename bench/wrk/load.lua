-- wrk script of `npm run bench`: optionally sends the lines of a file as JSON request bodies (each
-- line once, spread over wrk's threads, starting at a given line), optionally at a held rate, and
-- prints a JSON summary at the end.
-- Usage: wrk -s load.lua <url> -- <file or -> <threads> <first line> <method> <rate per second or 0>
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

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
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
  return wrk.format(nil, nil, nil, bodies[index] or bodies[#bodies])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
