package io.pointbridge.exchange.rate;

import io.pointbridge.exchange.rate.ExchangeRate.Caps;
import io.pointbridge.exchange.rate.ExchangeRate.Fee;
import io.pointbridge.exchange.rate.ExchangeRate.Restrictions;
import io.pointbridge.exchange.rate.RateFailures.SameProgram;
import io.pointbridge.tenant.InvalidRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The terms of a new rate version for a pair of programs; {@code effectiveFrom} defaults to now. Checks the
 * rules between its fields itself; ranges of single fields are checked at the edge.
 */
public record NewRate(UUID sourceProgramId, UUID targetProgramId, long sourceUnits, long targetUnits,
        @Nullable Instant effectiveFrom, @Nullable Instant effectiveTo, boolean enabled, long minimumPoints,
        long stepPoints, Fee fee, Caps caps, Restrictions restrictions) {

    public NewRate {
        if (sourceProgramId.equals(targetProgramId)) {
            throw new SameProgram(sourceProgramId);
        }
        requirePositive("sourceUnits", sourceUnits);
        requirePositive("targetUnits", targetUnits);
        requirePositive("minimumPoints", minimumPoints);
        requirePositive("stepPoints", stepPoints);
        if (minimumPoints % stepPoints != 0) {
            throw new InvalidRequest("minimumPoints", "must be a multiple of stepPoints (" + stepPoints + ")");
        }
        if (fee.percent().signum() < 0 || fee.percent().compareTo(BigDecimal.valueOf(100)) >= 0) {
            throw new InvalidRequest("fee.percent", "must be at least 0 and less than 100");
        }
        if (fee.fixed() < 0) {
            throw new InvalidRequest("fee.fixed", "must not be negative");
        }
        requirePositiveOrNull("caps.perMemberPerDay", caps.perMemberPerDay());
        requirePositiveOrNull("caps.perMemberPerMonth", caps.perMemberPerMonth());
        requirePositiveOrNull("caps.perPairPerDay", caps.perPairPerDay());
        if (restrictions.expiresWithinDays() != null) {
            requirePositive("restrictions.expiresWithinDays", restrictions.expiresWithinDays());
        }
        if (effectiveFrom != null && effectiveTo != null && !effectiveTo.isAfter(effectiveFrom)) {
            throw new InvalidRequest("effectiveTo", "must be after effectiveFrom");
        }
    }

    private static void requirePositive(String field, long value) {
        if (value <= 0) {
            throw new InvalidRequest(field, "must be greater than 0");
        }
    }

    private static void requirePositiveOrNull(String field, @Nullable Long value) {
        if (value != null) {
            requirePositive(field, value);
        }
    }
}
