package io.pointbridge.tenant.referral;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.identity.Identities;
import io.pointbridge.tenant.Cursors;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.outbox.Outbox;
import io.pointbridge.tenant.purchase.Money;
import io.pointbridge.tenant.purchase.Purchases;
import io.pointbridge.tenant.purchase.Purchases.PurchaseRecorded;
import io.pointbridge.tenant.referral.Referral.Status;
import io.pointbridge.tenant.referral.ReferralFailures.AlreadyReferred;
import io.pointbridge.tenant.referral.ReferralFailures.MutualReferral;
import io.pointbridge.tenant.referral.ReferralFailures.ReferralCodeNotFound;
import io.pointbridge.tenant.referral.ReferralFailures.ReferralNotFound;
import io.pointbridge.tenant.referral.ReferralFailures.ReferralWindowClosed;
import io.pointbridge.tenant.referral.ReferralFailures.ReferralsNotOffered;
import io.pointbridge.tenant.referral.ReferralFailures.SameIdentityReferral;
import io.pointbridge.tenant.referral.ReferralFailures.SelfReferral;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Referrals within one program: a member's code, the referee naming it, and the rewards.
 *
 * <p>A referee names a referrer's code within the program's claim window after enrolling and before any
 * qualifying purchase. Refused: a code of another program, one's own code, a code of the same person under
 * another membership or of a person holding one of the referee's verified emails or phones, and a code of
 * someone the referee referred. On the referee's first qualifying purchase ({@link PurchaseRecorded}, in the
 * purchase's transaction) both sides are credited EARN entries from the program's issuance account, with the
 * program's expiry; the identity check runs again first, since two persons may have been linked meanwhile.
 *
 * <p>The referral row is locked while it is settled, so two purchases at once reward it once; rewards to one
 * referrer are counted under a transaction-level advisory lock, so parallel referees never pass the limit.
 */
@Service
public class Referrals {

    public static final int MAX_PAGE_SIZE = 100;
    /** The outbox type of a referee naming their referrer. */
    public static final String CLAIMED = "referral.claimed";
    /** The outbox type of a referral settled without reward: the two turned out to be one person. */
    public static final String DISQUALIFIED = "referral.disqualified";
    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static final int CODE_LENGTH = 8;
    private static final String CURSOR = "rf1";
    private static final String ACTOR = "system:referrals";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Memberships memberships;
    private final Identities identities;
    private final Purchases purchases;
    private final Ledger ledger;
    private final TenantManagement tenancy;
    private final AuditTrail audit;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Referrals(JdbcClient jdbc, Memberships memberships, Identities identities, Purchases purchases, Ledger ledger,
            TenantManagement tenancy, AuditTrail audit, Outbox outbox, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.memberships = memberships;
        this.identities = identities;
        this.purchases = purchases;
        this.ledger = ledger;
        this.tenancy = tenancy;
        this.audit = audit;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    /** Terms as a tenant admin sets them; the minimum purchase in the program's purchase currency. */
    public record NewTerms(boolean enabled, long referrerPoints, long refereePoints, BigDecimal minimumPurchase,
            int claimWindowDays, @Nullable Integer maxRewardsPerReferrer) {
        public NewTerms {
            if (referrerPoints < 0) {
                throw new InvalidRequest("referrerPoints", "must not be negative");
            }
            if (refereePoints < 0) {
                throw new InvalidRequest("refereePoints", "must not be negative");
            }
            if (enabled && referrerPoints + refereePoints == 0) {
                throw new InvalidRequest("refereePoints", "a referral must reward one side at least while enabled");
            }
            if (minimumPurchase.signum() < 0) {
                throw new InvalidRequest("minimumPurchase", "must not be negative");
            }
            if (claimWindowDays < 1 || claimWindowDays > 365) {
                throw new InvalidRequest("claimWindowDays", "must be between 1 and 365");
            }
            if (maxRewardsPerReferrer != null && maxRewardsPerReferrer < 1) {
                throw new InvalidRequest("maxRewardsPerReferrer", "must be at least 1, or left out for no limit");
            }
        }
    }

    /** A member's referral code, in display form ({@code 7KQ2-XM4T}). */
    public record ReferralCode(UUID memberId, UUID programId, String code) {
    }

    /** A page of the referrals a member made, newest first; {@code nextCursor} is empty on the last page. */
    public record ReferralPage(List<Referral> items, Optional<String> nextCursor) {
    }

    @Transactional(readOnly = true)
    public Optional<ReferralTerms> terms(UUID programId) {
        var program = tenancy.program(programId);
        return jdbc.sql("select * from referral_terms where tenant_id = :tenant and program_id = :program")
            .param("tenant", TenantContext.require()).param("program", programId)
            .query((rs, row) -> new ReferralTerms(programId, rs.getBoolean("enabled"), rs.getLong("referrer_points"),
                rs.getLong("referee_points"),
                Money.fromMinor(rs.getLong("minimum_purchase_minor"), program.purchaseCurrency()),
                program.purchaseCurrency(), rs.getInt("claim_window_days"),
                (Integer) rs.getObject("max_rewards_per_referrer"), instant(rs, "updated_at"),
                rs.getString("updated_by")))
            .optional();
    }

    /** Sets the program's terms; referrals named before keep theirs. Audited with the terms before and after. */
    @Transactional
    public ReferralTerms setTerms(UUID programId, NewTerms terms, String actor, @Nullable String requestId) {
        var program = tenancy.program(programId);
        long minimum = Money.toMinor("minimumPurchase", terms.minimumPurchase(), program.purchaseCurrency());
        var before = terms(programId).orElse(null);
        jdbc.sql("""
                insert into referral_terms (tenant_id, program_id, enabled, referrer_points, referee_points,
                                            minimum_purchase_minor, claim_window_days, max_rewards_per_referrer,
                                            updated_at, updated_by)
                values (:tenant, :program, :enabled, :referrer, :referee, :minimum, :window, :max, :now, :actor)
                on conflict (tenant_id, program_id) do update
                   set enabled = excluded.enabled, referrer_points = excluded.referrer_points,
                       referee_points = excluded.referee_points,
                       minimum_purchase_minor = excluded.minimum_purchase_minor,
                       claim_window_days = excluded.claim_window_days,
                       max_rewards_per_referrer = excluded.max_rewards_per_referrer,
                       updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
            .param("tenant", TenantContext.require()).param("program", programId).param("enabled", terms.enabled())
            .param("referrer", terms.referrerPoints()).param("referee", terms.refereePoints()).param("minimum", minimum)
            .param("window", terms.claimWindowDays()).param("max", terms.maxRewardsPerReferrer())
            .param("now", at(clock.instant())).param("actor", actor)
            .update();
        var after = terms(programId).orElseThrow();
        audit.record(new Change(actor, "referral-terms.set", "program:" + programId, before, after, requestId));
        return after;
    }

    /** The member's referral code, made the first time it is asked for; it never changes. */
    @Transactional
    public ReferralCode code(UUID memberId) {
        var member = memberships.require(memberId);
        var tenant = TenantContext.require();
        for (int attempt = 0; attempt < 5; attempt++) {
            var existing = jdbc.sql("""
                    select code from referral_codes where tenant_id = :tenant and membership_id = :member""")
                .param("tenant", tenant).param("member", member.id()).query(String.class).optional();
            if (existing.isPresent()) {
                return new ReferralCode(member.id(), member.programId(), display(existing.get()));
            }
            // A concurrent first request, or (rarely) a code another member holds: either way, look again.
            jdbc.sql("""
                    insert into referral_codes (tenant_id, membership_id, code, created_at)
                    values (:tenant, :member, :code, :now) on conflict do nothing""")
                .param("tenant", tenant).param("member", member.id()).param("code", newCode())
                .param("now", at(clock.instant()))
                .update();
        }
        throw new IllegalStateException("no free referral code after 5 attempts");
    }

    /** The member (the referee) names the referral code of the member who referred them. */
    @Transactional
    public Referral claim(UUID refereeId, String code, String actor) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var referee = memberships.require(refereeId);
        var terms = terms(referee.programId()).filter(ReferralTerms::enabled)
            .orElseThrow(() -> new ReferralsNotOffered(referee.programId()));
        var referrer = normalise(code)
            .flatMap(normal -> jdbc.sql("""
                    select membership_id from referral_codes where tenant_id = :tenant and code = :code""")
                .param("tenant", tenant).param("code", normal).query(UUID.class).optional())
            .map(memberships::require)
            .filter(owner -> owner.programId().equals(referee.programId()))
            .orElseThrow(ReferralCodeNotFound::new);
        if (referrer.id().equals(referee.id())) {
            throw new SelfReferral();
        }
        if (identities.sameIdentity(referrer, referee)) {
            throw new SameIdentityReferral();
        }
        var existing = referralOf(referee.id());
        if (existing.isPresent()) {
            throw new AlreadyReferred(existing.get().id());
        }
        if (referralOf(referrer.id()).filter(back -> back.referrerId().equals(referee.id())).isPresent()) {
            throw new MutualReferral();
        }
        if (now.isAfter(referee.enrolledAt().plus(Duration.ofDays(terms.claimWindowDays())))) {
            throw new ReferralWindowClosed("the member enrolled more than " + terms.claimWindowDays() + " days ago");
        }
        long minimum = Money.toMinor("minimumPurchase", terms.minimumPurchase(), terms.currency());
        if (purchases.hasPurchaseOfAtLeast(referee.id(), minimum)) {
            throw new ReferralWindowClosed("the member has made a qualifying purchase already");
        }
        var id = UUID.randomUUID();
        int inserted = jdbc.sql("""
                insert into referrals (tenant_id, referral_id, program_id, referrer_membership_id,
                                       referee_membership_id, referrer_points, referee_points, minimum_purchase_minor,
                                       status, claimed_at, claimed_by)
                values (:tenant, :id, :program, :referrer, :referee, :referrerPoints, :refereePoints, :minimum,
                        'PENDING', :now, :actor)
                on conflict (tenant_id, referee_membership_id) do nothing""")
            .param("tenant", tenant).param("id", id).param("program", referee.programId())
            .param("referrer", referrer.id()).param("referee", referee.id())
            .param("referrerPoints", terms.referrerPoints()).param("refereePoints", terms.refereePoints())
            .param("minimum", minimum).param("now", at(now)).param("actor", actor)
            .update();
        if (inserted == 0) {
            throw new AlreadyReferred(referralOf(referee.id()).orElseThrow().id());
        }
        var claimed = referralOf(referee.id()).orElseThrow();
        outbox.append(CLAIMED, claimed);
        return claimed;
    }

    /** Who referred the member, if anyone. */
    @Transactional(readOnly = true)
    public Referral referredBy(UUID refereeId) {
        return referralOf(refereeId).orElseThrow(ReferralNotFound::new);
    }

    @Transactional(readOnly = true)
    public ReferralPage madeBy(UUID referrerId, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        var after = cursor == null ? null : Cursors.decode(CURSOR, cursor);
        var rows = jdbc.sql("""
                select * from referrals
                 where tenant_id = :tenant and referrer_membership_id = :referrer
                   and (cast(:after as bigint) is null or referral_seq < :after)
                 order by referral_seq desc limit :limit""")
            .param("tenant", TenantContext.require()).param("referrer", referrerId).param("after", after)
            .param("limit", limit + 1)
            .query((rs, row) -> new Row(rs.getLong("referral_seq"), referral(rs, row)))
            .list();
        var page = rows.subList(0, Math.min(limit, rows.size()));
        var next = rows.size() > limit
            ? Optional.of(Cursors.encode(CURSOR, page.getLast().seq())) : Optional.<String>empty();
        return new ReferralPage(page.stream().map(Row::referral).toList(), next);
    }

    /** Settles the purchaser's pending referral if the purchase qualifies; runs in the purchase's transaction. */
    @EventListener
    void on(PurchaseRecorded purchase) {
        var tenant = TenantContext.require();
        var pending = jdbc.sql("""
                select * from referrals
                 where tenant_id = :tenant and referee_membership_id = :member and status = 'PENDING'
                   for update""")
            .param("tenant", tenant).param("member", purchase.memberId())
            .query(Referrals::referral)
            .optional();
        if (pending.isEmpty() || purchase.amountMinor() < pending.get().minimumPurchaseMinor()) {
            return;
        }
        var referral = pending.get();
        var now = clock.instant();
        var referrer = memberships.require(referral.referrerId());
        var referee = memberships.require(referral.refereeId());
        if (identities.sameIdentity(referrer, referee)) {
            jdbc.sql("""
                    update referrals set status = 'DISQUALIFIED', settled_at = :now, purchase_id = :purchase,
                                         disqualified_because = 'same-identity'
                     where tenant_id = :tenant and referral_id = :id""")
                .param("now", at(now)).param("purchase", purchase.purchaseId())
                .param("tenant", tenant).param("id", referral.id())
                .update();
            outbox.append(DISQUALIFIED, referralOf(referee.id()).orElseThrow());
            return;
        }
        long referrerPoints = withinReferrerLimit(tenant, referral) ? referral.referrerPoints() : 0;
        var program = tenancy.program(referral.programId());
        var expires = program.expiryMonths() == null ? null
            : now.atZone(ZoneOffset.UTC).plusMonths(program.expiryMonths()).toInstant();
        var refereeEntry = credit(referee, referral.refereePoints(), referral, "referral bonus for joining", expires);
        var referrerEntry = credit(referrer, referrerPoints, referral, "referral bonus for referring", expires);
        jdbc.sql("""
                update referrals set status = 'REWARDED', settled_at = :now, purchase_id = :purchase,
                                     referee_entry_id = :refereeEntry, referrer_entry_id = :referrerEntry,
                                     referee_points_paid = :refereePoints, referrer_points_paid = :referrerPoints
                 where tenant_id = :tenant and referral_id = :id""")
            .param("now", at(now)).param("purchase", purchase.purchaseId()).param("refereeEntry", refereeEntry)
            .param("referrerEntry", referrerEntry).param("refereePoints", referral.refereePoints())
            .param("referrerPoints", referrerPoints).param("tenant", tenant).param("id", referral.id())
            .update();
        var rewarded = new ReferralRewarded(tenant, referral.id(), referral.programId(), referrer.id(), referee.id(),
            purchase.purchaseId(), referrerPoints, referral.refereePoints(), now);
        outbox.append(ReferralRewarded.TYPE, rewarded);
        events.publishEvent(rewarded);
    }

    /**
     * Whether the referrer may still be rewarded under the program's current limit. Rewards to one referrer are
     * counted under an advisory lock on the referrer, held to the end of the transaction.
     */
    private boolean withinReferrerLimit(UUID tenant, Referral referral) {
        var max = jdbc.sql("""
                select max_rewards_per_referrer from referral_terms
                 where tenant_id = :tenant and program_id = :program""")
            .param("tenant", tenant).param("program", referral.programId())
            .query((rs, row) -> (Integer) rs.getObject(1)).optional().orElse(null);
        if (max == null) {
            return true;
        }
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
            .param("key", tenant + "/referrer/" + referral.referrerId())
            .query(Object.class).single();
        long rewarded = jdbc.sql("""
                select count(*) from referrals
                 where tenant_id = :tenant and referrer_membership_id = :referrer and status = 'REWARDED'
                   and referrer_points_paid > 0""")
            .param("tenant", tenant).param("referrer", referral.referrerId())
            .query(Long.class).single();
        return rewarded < max;
    }

    private @Nullable UUID credit(Membership member, long points, Referral referral, String memo,
            @Nullable Instant expires) {
        if (points == 0) {
            return null;
        }
        return ledger.credit(new Credit(member.id(), points, EntryKind.EARN, AccountKind.ISSUANCE,
            "referral:" + referral.id(), memo, ACTOR, expires)).entryId();
    }

    private Optional<Referral> referralOf(UUID refereeId) {
        return jdbc.sql("select * from referrals where tenant_id = :tenant and referee_membership_id = :referee")
            .param("tenant", TenantContext.require()).param("referee", refereeId)
            .query(Referrals::referral)
            .optional();
    }

    private static String newCode() {
        var code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The normal form of a typed code (upper case, no dashes or white space), if it can be a code at all. */
    static Optional<String> normalise(String typed) {
        var code = typed.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        return code.length() == CODE_LENGTH && code.chars().allMatch(symbol -> ALPHABET.indexOf(symbol) >= 0)
            ? Optional.of(code) : Optional.empty();
    }

    private static String display(String normal) {
        return normal.substring(0, 4) + "-" + normal.substring(4);
    }

    private record Row(long seq, Referral referral) {
    }

    private static Referral referral(ResultSet rs, int row) throws SQLException {
        return new Referral(rs.getObject("referral_id", UUID.class), rs.getObject("program_id", UUID.class),
            rs.getObject("referrer_membership_id", UUID.class), rs.getObject("referee_membership_id", UUID.class),
            Status.valueOf(rs.getString("status")), rs.getLong("referrer_points"), rs.getLong("referee_points"),
            rs.getLong("minimum_purchase_minor"), instant(rs, "claimed_at"), instant(rs, "settled_at"),
            rs.getObject("purchase_id", UUID.class), (Long) rs.getObject("referrer_points_paid"),
            (Long) rs.getObject("referee_points_paid"), rs.getString("disqualified_because"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
