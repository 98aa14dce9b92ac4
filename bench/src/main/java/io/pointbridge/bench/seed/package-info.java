/**
 * Seeds a benchmark database, whose schema the application's migrations made, with a data set at scale: tenants,
 * brands, members and a ledger that keeps every invariant, streamed in through COPY.
 */
package io.pointbridge.bench.seed;
