package io.pointbridge.tenant.tier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pointbridge.tenant.AfterCommit;
import io.pointbridge.tenant.tier.TierChange.Kind;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Tier counters, counted when the transaction commits; tagged by kind of change only (bounded). */
@Component
class TierMetrics {

    private final Map<Kind, Counter> changes = new EnumMap<>(Kind.class);
    private final Counter reviewed;

    TierMetrics(MeterRegistry registry) {
        for (var kind : Kind.values()) {
            changes.put(kind, Counter.builder("pointbridge.tiers.changes").tag("kind", kind.json())
                .description("Changes of members' tiers").register(registry));
        }
        this.reviewed = Counter.builder("pointbridge.tiers.reviewed")
            .description("Members whose deadlines (review, grace end, reassessment) the review job processed")
            .register(registry);
    }

    void changed(Kind kind) {
        AfterCommit.run(changes.get(kind)::increment);
    }

    void reviewed(int members) {
        AfterCommit.run(() -> reviewed.increment(members));
    }
}
