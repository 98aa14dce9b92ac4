package io.pointbridge.tier;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.purchase.Purchases;
import io.pointbridge.tenant.purchase.Purchases.NewPurchase;
import io.pointbridge.tenant.purchase.Purchases.NewRefund;
import io.pointbridge.tenant.purchase.Purchases.PurchaseRecorded;
import io.pointbridge.tenant.purchase.Purchases.RefundRecorded;
import io.pointbridge.tenant.tier.MemberTier;
import io.pointbridge.tenant.tier.Qualification;
import io.pointbridge.tenant.tier.Qualification.All;
import io.pointbridge.tenant.tier.Qualification.Any;
import io.pointbridge.tenant.tier.Qualification.AtLeast;
import io.pointbridge.tenant.tier.TierChange;
import io.pointbridge.tenant.tier.TierReviews;
import io.pointbridge.tenant.tier.TierReviews.Report;
import io.pointbridge.tenant.tier.TierScheme;
import io.pointbridge.tenant.tier.TierScheme.LevelSettings;
import io.pointbridge.tenant.tier.TierScheme.Settings;
import io.pointbridge.tenant.tier.TierSchemes;
import io.pointbridge.tenant.tier.TierWindow;
import io.pointbridge.tenant.tier.Tiers;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of the tier tests: the whole application over the test database with a clock the tests set, and
 * the review job left to the tests (not scheduled). Every subclass shares one cached context.
 */
@Import(TierIntegrationTest.TierTime.class)
@TestPropertySource(properties = "pointbridge.tiers.reviews.scheduled=false")
abstract class TierIntegrationTest extends IntegrationTest {

    static final Currency EUR = Currency.getInstance("EUR");
    static final String ACTOR = "test:tiers";

    /** Imported rather than a nested configuration: component scanning of other contexts must not find it. */
    static class TierTime {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock();
        }
    }

    /** A clock that stands still until a test moves it, so that every recorded time is known exactly. */
    static final class SettableClock extends Clock {

        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2031-03-10T10:00:00Z"));

        void set(Instant instant) {
            now.set(instant);
        }

        void advance(Duration duration) {
            now.accumulateAndGet(Instant.EPOCH, (current, ignored) -> current.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now.get(), zone);
        }
    }

    @Autowired
    protected SettableClock clock;

    @Autowired
    protected TierSchemes schemes;

    @Autowired
    protected Tiers tiers;

    @Autowired
    protected TierReviews reviews;

    @Autowired
    protected Purchases purchases;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected PlatformTransactionManager transactionManager;

    /** Bronze (entry), Silver and Gold on net spend (minor units), with multipliers 1, 1.25 and 1.5. */
    static Settings spendTiers(TierWindow window, int graceDays, long silver, long gold) {
        return new Settings(window, ZoneOffset.UTC, graceDays, List.of(
            level("bronze", "Bronze", "1", null),
            level("silver", "Silver", "1.25", spend(silver)),
            level("gold", "Gold", "1.5", spend(gold))));
    }

    static LevelSettings level(String code, String name, String multiplier, Qualification qualification) {
        return new LevelSettings(code, name, new BigDecimal(multiplier), qualification);
    }

    static AtLeast counter(String name, long atLeast) {
        return new AtLeast(name, atLeast);
    }

    static AtLeast spend(long minor) {
        return new AtLeast("spend", minor);
    }

    static AtLeast orders(long count) {
        return new AtLeast("orders", count);
    }

    static AtLeast points(long count) {
        return new AtLeast("points", count);
    }

    static All all(Qualification... parts) {
        return new All(List.of(parts));
    }

    static Any any(Qualification... parts) {
        return new Any(List.of(parts));
    }

    static TierWindow calendarYear() {
        return new TierWindow(TierWindow.Kind.CALENDAR, 12);
    }

    static TierWindow rollingMonths(int months) {
        return new TierWindow(TierWindow.Kind.ROLLING, months);
    }

    TierScheme configure(Group group, Settings settings) {
        return fixtures.as(group, () -> schemes.configure(group.cafe().program().id(), settings, ACTOR, null));
    }

    /** A purchase in the group's cafe (1 point per EUR 1.00) at the clock's time. */
    PurchaseRecorded purchase(Group group, Membership member, long amountMinor) {
        return fixtures.as(group, () -> purchases.record(new NewPurchase(member.id(), "order-" + UUID.randomUUID(), EUR,
            amountMinor, List.of(), ACTOR)));
    }

    RefundRecorded refund(Group group, Membership member, String orderId, long amountMinor) {
        return fixtures.as(group, () -> purchases.refund(new NewRefund(member.id(), orderId, EUR, amountMinor, null, ACTOR)));
    }

    MemberTier tier(Group group, Membership member) {
        return fixtures.as(group, () -> tiers.tierOf(member.id())).orElseThrow();
    }

    Report reviewNow(Group group) {
        return fixtures.as(group, () -> reviews.reviewDue(clock.instant()));
    }

    List<TierChange> history(Group group, Membership member) {
        var all = new ArrayList<TierChange>();
        String cursor = null;
        do {
            var after = cursor;
            var page = fixtures.as(group, () -> tiers.history(member.id(), after, 100));
            all.addAll(0, page.items().reversed());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return all;
    }

    /** The member's row as stored (level, since, review, grace end), or null when there is none. */
    StoredTier stored(Group group, Membership member) {
        return inTenant(group, () -> jdbc.sql("""
                select level, since, review_at, grace_until from member_tiers where membership_id = :member""")
            .param("member", member.id())
            .query((rs, row) -> new StoredTier(rs.getInt("level"), instant(rs.getObject("since", OffsetDateTime.class)),
                instant(rs.getObject("review_at", OffsetDateTime.class)),
                instant(rs.getObject("grace_until", OffsetDateTime.class))))
            .optional().orElse(null));
    }

    record StoredTier(int level, Instant since, Instant reviewAt, Instant graceUntil) {
    }

    /** The outbox events about one member, oldest first, as {@code type} strings. */
    List<String> outboxTypes(Group group, Membership member) {
        return inTenant(group, () -> jdbc.sql("""
                select type from outbox_events where type like 'tier.%' and payload ->> 'membershipId' = :member
                 order by event_seq""")
            .param("member", member.id().toString()).query(String.class).list());
    }

    <T> T inTenant(Group group, Supplier<T> work) {
        return TenantContext.callAs(group.tenantId(), () -> new TransactionTemplate(transactionManager)
            .execute(status -> work.get()));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
