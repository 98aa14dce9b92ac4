package io.pointbridge.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.exchange.rate.Conversion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rounding rule of conversions, checked exhaustively over small ranges against integer arithmetic. */
class ExchangeRateTests {

    private static final List<String> PERCENTS =
        List.of("0", "0.0001", "0.5", "1", "1.5", "2.5", "10", "33.3333", "99.9999");

    @Test
    void followsTheRoundingRuleExactly() {
        for (long sourceUnits = 1; sourceUnits <= 12; sourceUnits++) {
            for (long targetUnits = 1; targetUnits <= 12; targetUnits++) {
                for (var percent : PERCENTS) {
                    for (long fixed = 0; fixed <= 3; fixed++) {
                        for (long points = 1; points <= 150; points++) {
                            check(points, sourceUnits, targetUnits, new BigDecimal(percent), fixed);
                        }
                    }
                }
            }
        }
    }

    /**
     * F = ⌈S × p / 100⌉ + fixed and T = ⌊(S − F) × tu / su⌋, recomputed with the percent as the integer fraction
     * p × 10⁴ / 10⁶; and what it means: F never undercharges by a fraction, T never represents more source
     * points than S − F, and it leaves less than one target point's worth behind.
     */
    private static void check(long points, long sourceUnits, long targetUnits, BigDecimal percent, long fixed) {
        var conversion = Conversion.of(points, sourceUnits, targetUnits, percent, fixed);
        long percentTenThousandths = percent.movePointRight(4).longValueExact();
        long expectedFee = ceilDiv(points * percentTenThousandths, 1_000_000) + fixed;
        assertThat(conversion.feePoints()).as("fee of %d at %s%% + %d", points, percent, fixed).isEqualTo(expectedFee);
        if (expectedFee >= points) {
            assertThat(conversion.targetPoints()).isZero();
            return;
        }
        long converted = points - expectedFee;
        assertThat(conversion.targetPoints()).isEqualTo(Math.floorDiv(converted * targetUnits, sourceUnits));
        long leftOver = converted * targetUnits - conversion.targetPoints() * sourceUnits;
        assertThat(leftOver).as("S−F−T×su/tu, scaled by tu").isGreaterThanOrEqualTo(0).isLessThan(sourceUnits);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    @Test
    void convertsTheIssueExample() {
        // 10 Cafe Stars → 7 Cinema Points, fee 1.5% + 1: 500 stars pay ⌈7.5⌉ + 1 = 9 and credit ⌊491 × 7 / 10⌋ = 343.
        var conversion = Conversion.of(500, 10, 7, new BigDecimal("1.5"), 1);
        assertThat(conversion).isEqualTo(new Conversion(500, 9, 343));
    }

    @Test
    void creditsNothingWhenTheFeeTakesEverything() {
        assertThat(Conversion.of(5, 1, 1, BigDecimal.ZERO, 5).targetPoints()).isZero();
        assertThat(Conversion.of(9, 10, 1, BigDecimal.ZERO, 0).targetPoints()).isZero();
    }

    @Test
    void staysExactForLargeAmounts() {
        long points = 1_000_000_000L;
        var conversion = Conversion.of(points, 3, 999_999_999L, new BigDecimal("0.0001"), 0);
        assertThat(conversion.feePoints()).isEqualTo(1_000);
        var expected = BigInteger.valueOf(points - 1_000).multiply(BigInteger.valueOf(999_999_999L))
            .divide(BigInteger.valueOf(3));
        assertThat(conversion.targetPoints()).isEqualTo(expected.longValueExact());
    }

    @Test
    void refusesRatePartsThatAreNotPositive() {
        assertThatThrownBy(() -> Conversion.of(10, 0, 1, BigDecimal.ZERO, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conversion.of(10, 1, -1, BigDecimal.ZERO, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conversion.of(0, 1, 1, BigDecimal.ZERO, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
