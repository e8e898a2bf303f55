-- wrk's report, as one line the benchmarks parse: latency percentiles in ms, rate, failures.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("p50=%.2f p95=%.2f rps=%.1f failed=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6),
    errors.connect + errors.read + errors.write + errors.timeout + errors.status))
end
