package io.pointbridge.tenant.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointbridge.tenant.AfterCommit;
import org.springframework.stereotype.Component;

/**
 * Business counters of the ledger, counted when the transaction commits so that a rolled-back write
 * counts nothing. No tenant or member tags: their cardinality is unbounded.
 */
@Component
class LedgerMetrics {

    private final Counter issued;
    private final Counter spent;
    private final Counter reversed;
    private final Counter adjusted;
    private final Counter expired;

    LedgerMetrics(MeterRegistry registry) {
        this.issued = Counter.builder("pointbridge.points.issued").description("Points earned by members").register(registry);
        this.spent = Counter.builder("pointbridge.points.spent").description("Points members spent").register(registry);
        this.reversed = Counter.builder("pointbridge.points.reversed")
            .description("Points moved back by reversals and refunds").register(registry);
        this.adjusted = Counter.builder("pointbridge.points.adjusted")
            .description("Points moved by manual adjustments, either way").register(registry);
        this.expired = Counter.builder("pointbridge.points.expired")
            .description("Points that expired and went to breakage").register(registry);
    }

    void posted(EntryKind kind, long points) {
        var counter = switch (kind) {
            case EARN -> issued;
            case SPEND -> spent;
            case REVERSAL, REFUND -> reversed;
            case ADJUSTMENT -> adjusted;
            case EXPIRY -> expired;
            default -> null;
        };
        if (counter == null || points == 0) {
            return;
        }
        AfterCommit.run(() -> counter.increment(points));
    }
}
