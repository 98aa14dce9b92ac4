package io.pointbridge.tenant.reward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointbridge.tenant.AfterCommit;
import org.springframework.stereotype.Component;

/**
 * Business counters of rewards, counted when the transaction commits: redemptions by outcome {@code redeemed},
 * {@code used} (coupon consumed or order fulfilled) or {@code cancelled}. No tenant or reward tags.
 */
@Component
class RewardMetrics {

    private final Counter redeemed;
    private final Counter used;
    private final Counter cancelled;

    RewardMetrics(MeterRegistry registry) {
        this.redeemed = counter(registry, "redeemed");
        this.used = counter(registry, "used");
        this.cancelled = counter(registry, "cancelled");
    }

    void redeemed() {
        AfterCommit.run(redeemed::increment);
    }

    void used() {
        AfterCommit.run(used::increment);
    }

    void cancelled() {
        AfterCommit.run(cancelled::increment);
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("pointbridge.rewards.redemptions").description("Redemptions of rewards")
            .tag("outcome", outcome).register(registry);
    }
}
