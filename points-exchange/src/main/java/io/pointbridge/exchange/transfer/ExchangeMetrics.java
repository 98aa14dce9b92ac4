package io.pointbridge.exchange.transfer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointbridge.tenant.AfterCommit;
import org.springframework.stereotype.Component;

/**
 * Business counters of the exchange, counted when the transaction commits (as the ledger's are): transfers
 * and the source points they converted, by outcome {@code executed} or {@code reversed}. No tenant tag.
 */
@Component
class ExchangeMetrics {

    private static final String TRANSFERS = "pointbridge.exchange.transfers";
    private static final String TRANSFERS_DESCRIPTION = "Transfers of points between programs";
    private static final String POINTS = "pointbridge.points.exchanged";
    private static final String POINTS_DESCRIPTION = "Source points converted to another program";

    private final Counter executed;
    private final Counter reversed;
    private final Counter pointsExecuted;
    private final Counter pointsReversed;

    ExchangeMetrics(MeterRegistry registry) {
        this.executed = counter(registry, TRANSFERS, TRANSFERS_DESCRIPTION, "executed");
        this.reversed = counter(registry, TRANSFERS, TRANSFERS_DESCRIPTION, "reversed");
        this.pointsExecuted = counter(registry, POINTS, POINTS_DESCRIPTION, "executed");
        this.pointsReversed = counter(registry, POINTS, POINTS_DESCRIPTION, "reversed");
    }

    void executed(long sourcePoints) {
        AfterCommit.run(() -> {
            executed.increment();
            pointsExecuted.increment(sourcePoints);
        });
    }

    void reversed(long sourcePoints) {
        AfterCommit.run(() -> {
            reversed.increment();
            pointsReversed.increment(sourcePoints);
        });
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String outcome) {
        return Counter.builder(name).description(description).tag("outcome", outcome).register(registry);
    }
}
