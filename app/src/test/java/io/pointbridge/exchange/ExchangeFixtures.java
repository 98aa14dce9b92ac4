package io.pointbridge.exchange;

import io.pointbridge.exchange.rate.ExchangeRate;
import io.pointbridge.exchange.rate.ExchangeRate.Caps;
import io.pointbridge.exchange.rate.ExchangeRate.Fee;
import io.pointbridge.exchange.rate.ExchangeRate.Restrictions;
import io.pointbridge.exchange.rate.ExchangeRates;
import io.pointbridge.exchange.rate.NewRate;
import io.pointbridge.exchange.settlement.ProgramValues;
import io.pointbridge.testing.Fixtures;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Exchange situations: rates between a group's brands and the values of their points, set through the services. */
@Component
public class ExchangeFixtures {

    private final Fixtures fixtures;
    private final ExchangeRates rates;
    private final ProgramValues values;

    ExchangeFixtures(Fixtures fixtures, ExchangeRates rates, ProgramValues values) {
        this.fixtures = fixtures;
        this.rates = rates;
        this.values = values;
    }

    /** Terms of a rate: sourceUnits to targetUnits, and unless changed no fee, minimum 1, step 1, no caps. */
    public record Terms(long sourceUnits, long targetUnits, boolean enabled, long minimum, long step,
            BigDecimal feePercent, long feeFixed, @Nullable Long perMemberPerDay, @Nullable Long perMemberPerMonth,
            @Nullable Long perPairPerDay, boolean convertible, @Nullable Integer expiresWithinDays) {

        public static Terms of(long sourceUnits, long targetUnits) {
            return new Terms(sourceUnits, targetUnits, true, 1, 1, BigDecimal.ZERO, 0, null, null, null, true, null);
        }

        public Terms fee(String percent, long fixed) {
            return new Terms(sourceUnits, targetUnits, enabled, minimum, step, new BigDecimal(percent), fixed,
                perMemberPerDay, perMemberPerMonth, perPairPerDay, convertible, expiresWithinDays);
        }

        public Terms amounts(long minimum, long step) {
            return new Terms(sourceUnits, targetUnits, enabled, minimum, step, feePercent, feeFixed, perMemberPerDay,
                perMemberPerMonth, perPairPerDay, convertible, expiresWithinDays);
        }

        public Terms caps(@Nullable Long perMemberPerDay, @Nullable Long perMemberPerMonth,
                @Nullable Long perPairPerDay) {
            return new Terms(sourceUnits, targetUnits, enabled, minimum, step, feePercent, feeFixed, perMemberPerDay,
                perMemberPerMonth, perPairPerDay, convertible, expiresWithinDays);
        }

        public Terms restricted(boolean convertible, @Nullable Integer expiresWithinDays) {
            return new Terms(sourceUnits, targetUnits, enabled, minimum, step, feePercent, feeFixed, perMemberPerDay,
                perMemberPerMonth, perPairPerDay, convertible, expiresWithinDays);
        }

        public Terms disabled() {
            return new Terms(sourceUnits, targetUnits, false, minimum, step, feePercent, feeFixed, perMemberPerDay,
                perMemberPerMonth, perPairPerDay, convertible, expiresWithinDays);
        }
    }

    /** A new version of the rate from one brand's program to another's, set by a tenant admin. */
    public ExchangeRate rate(Group group, BrandSetup from, BrandSetup to, Terms terms) {
        return fixtures.as(group, () -> rates.change(new NewRate(from.program().id(), to.program().id(),
            terms.sourceUnits(), terms.targetUnits(), null, null, terms.enabled(), terms.minimum(), terms.step(),
            new Fee(terms.feePercent(), terms.feeFixed()),
            new Caps(terms.perMemberPerDay(), terms.perMemberPerMonth(), terms.perPairPerDay()),
            new Restrictions(terms.convertible(), terms.expiresWithinDays())), "test:fixtures"));
    }

    /** Sets what one point of the brand's program is worth in the group's settlement currency. */
    public void value(Group group, BrandSetup brand, String pointValue) {
        fixtures.as(group, () -> values.set(brand.program().id(), new BigDecimal(pointValue), "test:fixtures"));
    }

    /** The group's cafe and cinema convert both ways at the terms; a cafe star is worth 0.01, a cinema point 0.02. */
    public void bothWays(Group group, Terms terms) {
        rate(group, group.cafe(), group.cinema(), terms);
        rate(group, group.cinema(), group.cafe(), terms);
        value(group, group.cafe(), "0.01");
        value(group, group.cinema(), "0.02");
    }
}
