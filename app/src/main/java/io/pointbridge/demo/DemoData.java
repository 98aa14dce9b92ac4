package io.pointbridge.demo;

import io.pointbridge.exchange.rate.ExchangeRate.Caps;
import io.pointbridge.exchange.rate.ExchangeRate.Fee;
import io.pointbridge.exchange.rate.ExchangeRate.Restrictions;
import io.pointbridge.exchange.rate.ExchangeRates;
import io.pointbridge.exchange.rate.NewRate;
import io.pointbridge.exchange.settlement.ProgramValues;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.tenant.audit.AuditContext;
import io.pointbridge.tenant.identity.Identities;
import io.pointbridge.tenant.identity.Identities.ContactDetails;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.purchase.Purchases;
import io.pointbridge.tenant.purchase.Purchases.NewPurchase;
import io.pointbridge.tenant.purchase.Purchases.NewRefund;
import io.pointbridge.tenant.referral.Referrals;
import io.pointbridge.tenant.referral.Referrals.NewTerms;
import io.pointbridge.tenant.reward.RewardKind;
import io.pointbridge.tenant.reward.Rewards;
import io.pointbridge.tenant.reward.Rewards.NewReward;
import io.pointbridge.tenant.reward.Rewards.RewardTerms;
import io.pointbridge.tenant.tenancy.PointsPolicies;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tenancy.TenantManagement.NewBrand;
import io.pointbridge.tenant.tenancy.TenantManagement.NewProgram;
import io.pointbridge.tenant.tenancy.TenantManagement.NewTenant;
import io.pointbridge.tenant.tier.Qualification.All;
import io.pointbridge.tenant.tier.Qualification.Any;
import io.pointbridge.tenant.tier.Qualification.AtLeast;
import io.pointbridge.tenant.tier.TierScheme.LevelSettings;
import io.pointbridge.tenant.tier.TierScheme.Settings;
import io.pointbridge.tenant.tier.TierSchemes;
import io.pointbridge.tenant.tier.TierWindow;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Seeds the demo group through the same services the API uses: tenant {@code demo-group} (the Keycloak
 * organization of {@code demo-admin}) with a cafe and a cinema, the cafe's tiers (Bronze, Silver, Gold),
 * members with purchases, a refund and a spend, a reward catalog, the cafe's referral terms, and the customer
 * Keycloak's {@code demo-member} signs in as; and {@code other-group} to try isolation against. Each start issues fresh demo API keys. The changes are
 * audited as made by {@code system:demo-data}.
 */
@Component
@Profile("demo")
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final String ACTOR = "system:demo-data";
    /** The verified email of Keycloak's {@code demo-member}, which the cafe and the cinema verified too. */
    static final String DEMO_MEMBER_EMAIL = "demo-member@demo-group.example";
    private static final String DEMO_MEMBER = "demo-member";

    private final TenantManagement tenancy;
    private final Memberships memberships;
    private final Identities identities;
    private final Purchases purchases;
    private final Ledger ledger;
    private final ApiKeys apiKeys;
    private final ExchangeRates rates;
    private final ProgramValues values;
    private final Rewards rewards;
    private final Referrals referrals;
    private final PointsPolicies policies;
    private final TierSchemes tiers;

    DemoData(TenantManagement tenancy, Memberships memberships, Identities identities, Purchases purchases, Ledger ledger,
            ApiKeys apiKeys, ExchangeRates rates, ProgramValues values, Rewards rewards, Referrals referrals,
            PointsPolicies policies, TierSchemes tiers) {
        this.tenancy = tenancy;
        this.memberships = memberships;
        this.identities = identities;
        this.purchases = purchases;
        this.ledger = ledger;
        this.apiKeys = apiKeys;
        this.rates = rates;
        this.values = values;
        this.rewards = rewards;
        this.referrals = referrals;
        this.policies = policies;
        this.tiers = tiers;
    }

    @Override
    public void run(ApplicationArguments args) {
        AuditContext.runAs(ACTOR, () -> {
            seedGroup("demo-group", "Demo Group", true);
            seedGroup("other-group", "Other Group", false);
        });
    }

    private void seedGroup(String slug, String name, boolean withHistory) {
        var existing = tenancy.tenantIdBySlug(slug);
        var tenantId = existing.orElseGet(() -> tenancy.createTenant(new NewTenant(slug, name, EUR)).id());
        TenantContext.runAs(tenantId, () -> {
            if (existing.isEmpty()) {
                var cafe = tenancy.createBrand(new NewBrand("cafe", name.replace("Group", "Cafe")));
                var cinema = tenancy.createBrand(new NewBrand("cinema", name.replace("Group", "Cinema")));
                var stars = tenancy.createProgram(cafe.id(),
                    new NewProgram("cafe-stars", "Cafe Stars", "Cafe Stars", EUR, 1, 100, 12));
                var points = tenancy.createProgram(cinema.id(),
                    new NewProgram("cinema-points", "Cinema Points", "Cinema Points", EUR, 10, 100, 24));
                // The cafe's points expire 12 months after earning; the cinema's on 31 December once they are a
                // year old, pending through a 14-day returns window, and refunds may leave up to 500 owed.
                policies.change(stars.id(), new PointsPolicy(0, ClawbackPolicy.PARTIAL, 0, Expiry.rolling(12), 30),
                    ACTOR, null);
                policies.change(points.id(), new PointsPolicy(14, ClawbackPolicy.NEGATIVE_ALLOWED, 500,
                    Expiry.fixedDates(List.of("12-31"), 12, "Europe/Berlin"), 30), ACTOR, null);
                if (withHistory) {
                    setUpTiers(stars);
                    seedHistory(stars, 12, 3.50, 25.00);
                    seedHistory(points, 6, 9.00, 60.00);
                    seedCatalog(stars, points);
                }
                seedExchange(stars, points);
                log.info("Demo tenant '{}' created with brands cafe and cinema", slug);
            } else if (withHistory) {
                // A demo database from before tiers existed gets them too; its history counts at once.
                tenancy.programs(Optional.empty()).stream().filter(program -> program.code().equals("cafe-stars"))
                    .filter(program -> tiers.find(program.id()).isEmpty()).forEach(this::setUpTiers);
            }
            if (withHistory) {
                seedDemoMember();
            }
            for (var brand : tenancy.brands()) {
                var issued = apiKeys.issue(brand.id(), "demo key", ACTOR);
                log.info("Demo API key for {} brand {}: {}", slug, brand.code(), issued.secret());
            }
        });
    }

    /**
     * The customer Keycloak's {@code demo-member} is: enrolled by the cafe and the cinema with the email each verified
     * (and consent to linking), hence one person, with Cafe Stars from two purchases to convert. Their first call
     * with their own token links their sign-in to this person. A demo database from before gets them too.
     */
    private void seedDemoMember() {
        var programs = tenancy.programs(Optional.empty());
        var stars = programs.stream().filter(program -> program.code().equals("cafe-stars")).findFirst();
        var points = programs.stream().filter(program -> program.code().equals("cinema-points")).findFirst();
        if (stars.isEmpty() || points.isEmpty() || memberships.byExternalId(stars.get().id(), DEMO_MEMBER).isPresent()) {
            return;
        }
        var verified = ContactDetails.parse(DEMO_MEMBER_EMAIL, true, null, null, true);
        var cafe = identities.enroll(stars.get().id(), DEMO_MEMBER, verified, ACTOR, null).membership();
        identities.enroll(points.get().id(), DEMO_MEMBER, verified, ACTOR, null);
        purchases.record(new NewPurchase(cafe.id(), "demo-member-order-1", EUR, 12_000, List.of(), ACTOR));
        purchases.record(new NewPurchase(cafe.id(), "demo-member-order-2", EUR, 18_000, List.of(), ACTOR));
        log.info("Demo member {} enrolled at the cafe and the cinema", DEMO_MEMBER);
    }

    /** Bronze, Silver (EUR 50 or 5 orders in the last 12 months) and Gold (EUR 100 and 6 orders), 30 days' grace. */
    private void setUpTiers(Program program) {
        tiers.configure(program.id(), new Settings(new TierWindow(TierWindow.Kind.ROLLING, 12), ZoneId.of("Europe/Paris"), 30,
            List.of(new LevelSettings("bronze", "Bronze", BigDecimal.ONE, null),
                new LevelSettings("silver", "Silver", new BigDecimal("1.25"),
                    new Any(List.of(new AtLeast("spend", 5_000), new AtLeast("orders", 5)))),
                new LevelSettings("gold", "Gold", new BigDecimal("1.5"),
                    new All(List.of(new AtLeast("spend", 10_000), new AtLeast("orders", 6)))))),
            ACTOR, null);
    }

    /**
     * A Cafe Star is worth EUR 0.01 and a Cinema Point EUR 0.001: 10 stars convert to 70 cinema points
     * (the cinema's points are worth less, and the group keeps a small margin), 1 % fee, in steps of 10.
     */
    private void seedExchange(Program stars, Program points) {
        values.set(stars.id(), new BigDecimal("0.01"), ACTOR);
        values.set(points.id(), new BigDecimal("0.001"), ACTOR);
        var noCaps = new Caps(null, null, null);
        rates.change(new NewRate(stars.id(), points.id(), 10, 70, null, null, true, 10, 10,
            new Fee(BigDecimal.ONE, 0), new Caps(1_000L, 10_000L, null), new Restrictions(false, null)), ACTOR);
        rates.change(new NewRate(points.id(), stars.id(), 100, 8, null, null, true, 100, 100,
            new Fee(BigDecimal.ONE, 0), noCaps, new Restrictions(false, null)), ACTOR);
    }

    private void seedCatalog(Program cafe, Program cinema) {
        reward(cafe, RewardKind.VOUCHER, "Free cappuccino", 50, null, 3, null, 30);
        reward(cafe, RewardKind.DISCOUNT_COUPON, "5 EUR off your order", 200, null, null, null, 60);
        reward(cafe, RewardKind.GIFT, "Cafe tote bag", 300, 25L, 1, null, null);
        reward(cinema, RewardKind.EXPERIENCE, "Premiere night for two", 2000, 10L, 1, 2, 90);
        referrals.setTerms(cafe.id(), new NewTerms(true, 100, 50, new BigDecimal("10.00"), 30, 10), ACTOR, null);
    }

    private void reward(Program program, RewardKind kind, String name, long cost, Long stock, Integer perMember,
            Integer minimumTier, Integer couponDays) {
        rewards.create(new NewReward(program.id(), kind, new RewardTerms(name, null, cost, perMember, minimumTier, null,
            null, couponDays, true), stock), ACTOR, null);
    }

    private void seedHistory(Program program, int members, double minimum, double maximum) {
        var random = new Random(program.code().hashCode());
        for (int m = 1; m <= members; m++) {
            var member = memberships.enroll(program.id(), program.code() + "-member-" + m).membership();
            int orders = 2 + random.nextInt(5);
            for (int o = 1; o <= orders; o++) {
                long cents = Math.round((minimum + random.nextDouble() * (maximum - minimum)) * 100);
                purchases.record(new NewPurchase(member.id(), "order-" + m + "-" + o, EUR, cents, List.of(), ACTOR));
            }
            if (m % 4 == 0) {
                purchases.refund(new NewRefund(member.id(), "order-" + m + "-1", EUR, 100, "partial return", ACTOR));
            }
            if (m % 3 == 0) {
                var balance = ledger.debit(new Debit(member.id(), 5, EntryKind.SPEND, AccountKind.REDEMPTION,
                    "demo-redemption", "free coffee", ACTOR, null, Shortfall.TAKE_AVAILABLE));
                Optional.ofNullable(balance.entryId()).ifPresent(entry -> log.debug("Demo spend {}", entry));
            }
        }
    }
}
