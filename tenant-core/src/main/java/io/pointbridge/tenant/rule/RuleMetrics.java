package io.pointbridge.tenant.rule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointbridge.tenant.rule.RuleOutcome.Outcome;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Business counters of live rule evaluation, counted when the transaction commits: evaluations by outcome
 * (a bounded tag) and the points rules awarded on top of base rates. No tenant, program or rule tags.
 */
@Component
class RuleMetrics {

    private final Map<Outcome, Counter> evaluations = new EnumMap<>(Outcome.class);
    private final Counter awarded;

    RuleMetrics(MeterRegistry registry) {
        for (var outcome : Outcome.values()) {
            evaluations.put(outcome, Counter.builder("pointbridge.rules.evaluations")
                .description("Earning rules evaluated for live events, by outcome")
                .tag("outcome", outcome.name().toLowerCase())
                .register(registry));
        }
        this.awarded = Counter.builder("pointbridge.rules.points.awarded")
            .description("Points earning rules awarded on top of base rates").register(registry);
    }

    void evaluated(List<RuleOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        Runnable count = () -> outcomes.forEach(outcome -> {
            evaluations.get(outcome.outcome()).increment();
            if (outcome.points() > 0) {
                awarded.increment(outcome.points());
            }
        });
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }
}
