package io.pointbridge.tenant.tier;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.pointbridge.tenant.tier.TierWindow.Interval;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a member stands and what is missing: the current tier, the counters of the current window, and per
 * goal (the next tier; keeping the current one at its review or through its grace period) whether it is met
 * and, if not, what is missing in each way it could be, e.g. {@code [{"spend": 1200}, {"orders": 2}]}.
 */
public record TierProgress(@JsonUnwrapped MemberTier tier, Interval window, Map<String, Long> counters,
        @Nullable Goal next, @Nullable Goal keep) {

    public TierProgress {
        counters = Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    /**
     * A tier to reach or keep.
     *
     * @param by      when it is decided: the review or the end of the grace period for keeping; the end of the
     *                calendar period for the next tier (none for a rolling window, where activity counts until it
     *                is older than the window)
     * @param missing per way of meeting the qualification, what is still missing of each counter; empty when met
     */
    public record Goal(int level, String code, String name, BigDecimal multiplier, @Nullable Instant by, boolean met,
            List<Map<String, Long>> missing) {

        public Goal {
            missing = List.copyOf(missing);
        }
    }
}
