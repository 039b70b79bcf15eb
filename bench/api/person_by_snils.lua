-- wrk script: GET /api/frmr/person?mo=…&snils=… with a random СНИЛС of the organization's employees.
-- Environment: BENCH_SNILS_FILE (one СНИЛС a line), BENCH_MO, BENCH_TOKEN.
local snils = {}
for line in io.lines(os.getenv("BENCH_SNILS_FILE")) do
  snils[#snils + 1] = line
end
local mo = os.getenv("BENCH_MO")
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
local non_200 = 0

math.randomseed(os.time())

request = function()
  local path = "/api/frmr/person?mo=" .. mo .. "&snils=" .. snils[math.random(#snils)]
  return wrk.format("GET", path, { ["Authorization"] = auth })
end

response = function(status, headers, body)
  if status ~= 200 then
    non_200 = non_200 + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout))
end
