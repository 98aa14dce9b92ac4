package io.pointbridge.tenant.tier;

import com.fasterxml.jackson.annotation.JsonValue;
import io.pointbridge.tenant.tier.TierWindow.Interval;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One change of a member's standing, as its history keeps it: what happened, why, from which tier to which,
 * when it took effect, the counters and window it was decided on, and what comes next (the review, or the
 * end of the grace period).
 *
 * @param effectiveAt when the change took effect: the purchase, the end of the period or of the grace period
 * @param recordedAt  when it was recorded, later than {@code effectiveAt} for a review that ran late
 */
public record TierChange(UUID id, Kind kind, Reason reason, Tier from, Tier to, Instant effectiveAt,
        @Nullable Instant reviewAt, @Nullable Instant graceUntil, Interval window, Map<String, Long> counters,
        Instant recordedAt) {

    public TierChange {
        counters = Collections.unmodifiableMap(new TreeMap<>(counters));
    }

    /** A tier as a change names it. */
    public record Tier(int level, String code) {
    }

    public enum Kind {
        /** Reached a higher tier. */
        UPGRADED,
        /** Kept the tier for another period. */
        RENEWED,
        /** Fell short at the review and keeps the tier until the grace period ends. */
        GRACE_STARTED,
        /** Moved to a lower tier. */
        DOWNGRADED;

        /** How events and the API name it, e.g. {@code grace-started}; the outbox event type is {@code tier.<this>}. */
        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public enum Reason {
        /** Qualifying activity: a purchase or a custom counter. */
        ACTIVITY,
        /** The program's tiers were changed, and every member with recent activity was placed again. */
        SCHEME_CHANGED,
        /** The review at the end of the period. */
        PERIOD_ENDED,
        /** The end of the grace period. */
        GRACE_ENDED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
