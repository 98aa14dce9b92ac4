package io.pointbridge.bench.load;

/** Latency percentiles in milliseconds. */
public record Latency(double p50, double p95, double p99, double max) {
}
