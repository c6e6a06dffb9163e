-- wrk script for bench/run: counts answers by status and prints one machine-readable line.
--
-- GET mode (no script arguments): wrk sends the URL with the headers given by -H.
-- Booking mode (`-- FILE THREADS`): each line of FILE is "<bearer token>\t<JSON body>"; every
-- request POSTs the next line of this thread's share of the file, so each one asks for a
-- distinct slot. Past the end of its share a thread starts over, and those repeats get 409.

local threads = {}
local counter = 1

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   counts = {}
   requests = nil
   if args[1] == nil then
      return
   end
   local nthreads = tonumber(args[2])
   requests = {}
   local index = 0
   for line in io.lines(args[1]) do
      if index % nthreads == id - 1 then
         local token, body = line:match("^([^\t]+)\t(.+)$")
         table.insert(requests, wrk.format("POST", nil, {
            ["Authorization"] = "Bearer " .. token,
            ["Content-Type"] = "application/json",
         }, body))
      end
      index = index + 1
   end
   position = 0
end

function request()
   if requests == nil then
      return wrk.request()
   end
   position = position % #requests + 1
   return requests[position]
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
   local statuses = {}
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("counts")) do
         statuses[status] = (statuses[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(statuses) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
         .. '"max_us": %d, "socket_errors": %d, "statuses": {%s}}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max,
      errors.connect + errors.read + errors.write + errors.timeout, table.concat(parts, ", ")
   ))
end
