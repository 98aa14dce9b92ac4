package io.pointbridge.tenant.insight;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Optional;
import java.util.UUID;

/**
 * The seam to whatever knows what a program's point is worth in money, so that insights can value the
 * liability without the tenant core depending on it. The points exchange provides the bean from its program
 * values (in the group's settlement currency); without one, insights report points only.
 */
@FunctionalInterface
public interface PointValuation {

    /** No values known: insights report points only. */
    PointValuation NONE = (programId, at) -> Optional.empty();

    /** What one point of the program was worth at the given time, if a value was set by then. */
    Optional<PointValue> valueAt(UUID programId, Instant at);

    /** One point's worth in a currency (major units, exact). */
    record PointValue(BigDecimal perPoint, Currency currency) {
    }
}
