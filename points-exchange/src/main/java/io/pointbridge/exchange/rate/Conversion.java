package io.pointbridge.exchange.rate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What converting {@code sourcePoints} (S) at a rate gives, by the exchange's one rounding rule:
 *
 * <ul>
 *   <li>fee F = ⌈S × percent / 100⌉ + fixed, in source points: rounded up, because no fractional point
 *       exists and the house never undercharges;</li>
 *   <li>target credit T = ⌊(S − F) × targetUnits / sourceUnits⌋: rounded down, so that T target points
 *       never represent more than the S − F source points that paid for them;</li>
 *   <li>the fraction T leaves (S − F − T × sourceUnits / targetUnits source points, less than one target
 *       point's worth) stays retired in the source program's exchange clearing account.</li>
 * </ul>
 *
 * Rounding therefore never creates a point, in either program. All arithmetic is exact (integers and
 * {@link BigDecimal}); a conversion whose fee eats the whole amount credits nothing ({@code targetPoints} 0).
 */
public record Conversion(long sourcePoints, long feePoints, long targetPoints) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public static Conversion of(long sourcePoints, long sourceUnits, long targetUnits, BigDecimal feePercent,
            long feeFixed) {
        if (sourcePoints <= 0 || sourceUnits <= 0 || targetUnits <= 0 || feeFixed < 0 || feePercent.signum() < 0) {
            throw new IllegalArgumentException("points and rate parts must be positive, fees not negative");
        }
        long percentFee = BigDecimal.valueOf(sourcePoints).multiply(feePercent).divide(HUNDRED)
            .setScale(0, RoundingMode.CEILING).longValueExact();
        long fee = Math.addExact(percentFee, feeFixed);
        if (fee >= sourcePoints) {
            return new Conversion(sourcePoints, fee, 0);
        }
        long target = Math.multiplyExact(sourcePoints - fee, targetUnits) / sourceUnits;
        return new Conversion(sourcePoints, fee, target);
    }
}
