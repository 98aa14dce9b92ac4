package io.pointbridge.bench.load;

/**
 * One measured run of one operation.
 *
 * @param operation      earn, spend, balance, history, exchange, ...
 * @param model          {@code closed} (a fixed number of clients, each sending as soon as its answer came back) or
 *                       {@code open} (requests at a fixed arrival rate, latency counted from the intended start)
 * @param clients        closed model: the number of clients; open model: the most requests that were in flight
 * @param targetRate     open model: the arrival rate asked for, per second; closed: 0
 * @param throughput     operations that succeeded per second of the measured interval
 * @param succeeded      operations that succeeded
 * @param failed         operations that failed (not 2xx, or an I/O error)
 * @param latency        latency of all operations, failed ones included
 * @param firstFailure   what the first failure said, or null
 * @param cpu            closed model: CPU seconds the app, this client, PostgreSQL used during it; open: null
 */
public record Measurement(String operation, String model, int clients, double targetRate, double throughput,
        long succeeded, long failed, Latency latency, String firstFailure, CpuMeter.Sample cpu) {
}
