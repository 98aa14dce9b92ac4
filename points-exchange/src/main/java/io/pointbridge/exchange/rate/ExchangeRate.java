package io.pointbridge.exchange.rate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One version of the rate from one program to another: {@code sourceUnits} source points convert to
 * {@code targetUnits} target points, in effect over [{@code effectiveFrom}, {@code effectiveTo}). Versions
 * never change but for the end of their period; a quote refers to the version it was given.
 */
public record ExchangeRate(UUID id, UUID sourceProgramId, UUID targetProgramId, int version, long sourceUnits,
        long targetUnits, Instant effectiveFrom, @Nullable Instant effectiveTo, boolean enabled, long minimumPoints,
        long stepPoints, Fee fee, Caps caps, Restrictions restrictions, String createdBy, Instant createdAt) {

    /** The fee, in source points: {@code ⌈S × percent / 100⌉ + fixed}. */
    public record Fee(BigDecimal percent, long fixed) {
    }

    /** Most source points one member may convert per UTC day and month, and all members per UTC day; null: no cap. */
    public record Caps(@Nullable Long perMemberPerDay, @Nullable Long perMemberPerMonth, @Nullable Long perPairPerDay) {
    }

    /**
     * What the points a conversion credits may do: be converted again, and how long they live at most (they
     * never outlive the target program's own expiry either).
     */
    public record Restrictions(boolean convertible, @Nullable Integer expiresWithinDays) {
    }

    /** The conversion of the given source points at this rate, by the rule {@link Conversion} states. */
    public Conversion convert(long sourcePoints) {
        return Conversion.of(sourcePoints, sourceUnits, targetUnits, fee.percent(), fee.fixed());
    }
}
