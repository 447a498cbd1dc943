-- wrk script of `npm run bench`: sends the lines of a file as JSON request bodies, each line
-- once, spread over wrk's threads, starting at a given line; prints a JSON summary at the end.
-- Usage: wrk -s bodies.lua <url> -- <file> <threads> <first line> <method>
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  stride = tonumber(args[2])
  index = tonumber(args[3]) + id - stride
  wrk.method = args[4] or "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
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
