package io.pointbridge.tenant.reward;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.Cursors;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.outbox.Outbox;
import io.pointbridge.tenant.reward.CouponCheck.State;
import io.pointbridge.tenant.reward.Redemption.Cancellation;
import io.pointbridge.tenant.reward.Redemption.Coupon;
import io.pointbridge.tenant.reward.Redemption.Status;
import io.pointbridge.tenant.reward.Redemption.Use;
import io.pointbridge.tenant.reward.RewardFailures.CouponAlreadyConsumed;
import io.pointbridge.tenant.reward.RewardFailures.CouponCancelled;
import io.pointbridge.tenant.reward.RewardFailures.CouponExpired;
import io.pointbridge.tenant.reward.RewardFailures.CouponNotFound;
import io.pointbridge.tenant.reward.RewardFailures.NotAnOrder;
import io.pointbridge.tenant.reward.RewardFailures.RedemptionAlreadyUsed;
import io.pointbridge.tenant.reward.RewardFailures.RedemptionAlreadyCancelled;
import io.pointbridge.tenant.reward.RewardFailures.RedemptionLimitReached;
import io.pointbridge.tenant.reward.RewardFailures.RedemptionNotFound;
import io.pointbridge.tenant.reward.RewardFailures.RewardNotAvailable;
import io.pointbridge.tenant.reward.RewardFailures.RewardNotFound;
import io.pointbridge.tenant.reward.RewardFailures.RewardOfAnotherProgram;
import io.pointbridge.tenant.reward.RewardFailures.RewardOutOfStock;
import io.pointbridge.tenant.reward.RewardFailures.TierTooLow;
import io.pointbridge.tenant.reward.Rewards.CatalogQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Redeems rewards for members' points, and cancels, consumes and fulfils the redemptions.
 *
 * <p>A redemption is one transaction: the member's wallet is debited by a SPEND entry to the program's
 * redemption account (which locks the wallet, so one member's redemptions queue and the per-member limit is
 * counted exactly), then one item is taken from a limited stock by a conditional update (so the last item
 * goes to exactly one member; the others' transactions roll back with their debit), then the redemption and
 * its coupon are stored. Locks are taken in one order everywhere: redemption row, then wallet, then reward
 * row. Cancelling reverses the SPEND entry (the points go back to the lots they came from) and returns the
 * item to stock; a used redemption cannot be cancelled.
 *
 * <p>Coupon codes are stored only as a keyed hash and sealed (see {@link CouponCodes}); the member's view
 * ({@link #view}, {@link #page}) shows them, the coupon check an integration makes by code never repeats it.
 */
@Service
public class Redemptions {

    public static final int MAX_PAGE_SIZE = 100;
    private static final String CURSOR = "rd1";
    private static final String SELECT = """
            select d.*, r.name as reward_name, r.kind as reward_kind, r.program_id, p.brand_id from redemptions d
              join rewards r on r.tenant_id = d.tenant_id and r.reward_id = d.reward_id
              join programs p on p.tenant_id = r.tenant_id and p.program_id = r.program_id
            """;

    private final JdbcClient jdbc;
    private final Rewards rewards;
    private final Memberships memberships;
    private final Ledger ledger;
    private final Wallets wallets;
    private final CouponCodes codes;
    private final ObjectProvider<TierLevels> tiers;
    private final Outbox outbox;
    private final RewardMetrics metrics;
    private final Clock clock;

    Redemptions(JdbcClient jdbc, Rewards rewards, Memberships memberships, Ledger ledger, Wallets wallets,
            CouponCodes codes, ObjectProvider<TierLevels> tiers, Outbox outbox, RewardMetrics metrics, Clock clock) {
        this.jdbc = jdbc;
        this.rewards = rewards;
        this.memberships = memberships;
        this.ledger = ledger;
        this.wallets = wallets;
        this.codes = codes;
        this.tiers = tiers;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A page of a member's redemptions, newest first; {@code nextCursor} is empty on the last page. */
    public record RedemptionPage(List<Redemption> items, Optional<String> nextCursor) {
    }

    /**
     * A reward of the member's program that can be redeemed now, and whether this member can: if not, the
     * problem types a redemption would be refused with ({@code insufficient-points}, {@code tier-too-low},
     * {@code redemption-limit-reached}).
     */
    public record RewardOption(Reward reward, boolean redeemable, List<String> obstacles) {
    }

    /** A page of the rewards the member's program offers now, each with whether this member can redeem it. */
    public record OptionPage(List<RewardOption> items, Optional<String> nextCursor) {
    }

    /**
     * Redeems the reward for the member: refused if the reward is another brand's (not found), of another
     * program, withdrawn or outside its window, out of stock, above the member's tier, at the member's limit,
     * or dearer than the points the member has; a refusal changes nothing.
     */
    @Transactional
    public Redemption redeem(UUID memberId, UUID rewardId, String actor) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var member = memberships.require(memberId);
        var reward = rewards.find(rewardId).filter(found -> found.brandId().equals(member.brandId()))
            .orElseThrow(() -> new RewardNotFound(rewardId));
        if (!reward.programId().equals(member.programId())) {
            throw new RewardOfAnotherProgram(rewardId);
        }
        reward.unavailableAt(now).ifPresent(why -> {
            throw new RewardNotAvailable(rewardId, why);
        });
        if (!reward.inStock()) {
            throw new RewardOutOfStock(rewardId);
        }
        if (reward.minimumTierLevel() != null) {
            int level = tiers.getIfAvailable(() -> TierLevels.NONE).levelOf(member.id());
            if (level < reward.minimumTierLevel()) {
                throw new TierTooLow(rewardId, reward.minimumTierLevel(), level);
            }
        }
        // Checked before the debit for the clearer refusal, and again once the wallet is locked.
        requireBelowLimit(tenant, reward, member.id());
        var id = UUID.randomUUID();
        var debit = ledger.debit(new Debit(member.id(), reward.pointsCost(), EntryKind.SPEND, AccountKind.REDEMPTION,
            "redemption:" + id, reward.name(), actor, null, Shortfall.REFUSE));
        requireBelowLimit(tenant, reward, member.id());
        takeOneFromStock(tenant, rewardId);
        String code = null;
        Instant expires = null;
        if (reward.kind().issuesCoupon()) {
            code = codes.generate();
            expires = reward.couponValidDays() == null ? null : now.plus(Duration.ofDays(reward.couponValidDays()));
        }
        var normal = code == null ? null : CouponCodes.normalise(code).orElseThrow();
        jdbc.sql("""
                insert into redemptions (tenant_id, redemption_id, reward_id, membership_id, points, entry_id, status,
                                         code_digest, code_sealed, code_key_version, expires_at, created_by, created_at)
                values (:tenant, :id, :reward, :member, :points, :entry, 'ISSUED', :digest, :sealed, :version, :expires,
                        :actor, :now)""")
            .param("tenant", tenant).param("id", id).param("reward", rewardId).param("member", member.id())
            .param("points", reward.pointsCost()).param("entry", debit.entryId())
            .param("digest", normal == null ? null : codes.digest(tenant, normal))
            .param("sealed", normal == null ? null : codes.seal(tenant, id, normal))
            .param("version", normal == null ? null : CouponCodes.KEY_VERSION)
            .param("expires", Rewards.at(expires)).param("actor", actor).param("now", Rewards.at(now))
            .update();
        outbox.append(RewardRedeemed.TYPE, new RewardRedeemed(id, rewardId, reward.kind(), member.id(),
            reward.programId(), reward.pointsCost(), debit.entryId(), !reward.kind().issuesCoupon(), now));
        metrics.redeemed();
        return view(member.id(), id);
    }

    /** Cancels an issued redemption: its points go back to the member, its item back to stock. */
    @Transactional
    public Redemption cancel(UUID memberId, UUID redemptionId, @Nullable String reason, String actor) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var redemption = lock(memberId, redemptionId);
        requireIssued(redemption);
        var member = memberships.require(memberId);
        // The debit went to the wallet the membership pointed to then: its own, or the one it was merged into.
        var wallet = Optional.ofNullable(member.mergedInto()).orElse(member.id());
        var reversal = ledger.reverse(wallet, redemption.entryId(), actor,
            "redemption cancelled" + (reason == null ? "" : ": " + reason));
        jdbc.sql("""
                update rewards set stock = stock + 1
                 where tenant_id = :tenant and reward_id = :reward and stock is not null""")
            .param("tenant", tenant).param("reward", redemption.rewardId())
            .update();
        jdbc.sql("""
                update redemptions set status = 'CANCELLED', cancelled_at = :now, cancel_entry_id = :entry,
                                       cancel_reason = :reason, cancelled_by = :actor
                 where tenant_id = :tenant and redemption_id = :id""")
            .param("now", Rewards.at(now)).param("entry", reversal.entryId()).param("reason", reason)
            .param("actor", actor).param("tenant", tenant).param("id", redemptionId)
            .update();
        outbox.append(RedemptionCancelled.TYPE, new RedemptionCancelled(redemptionId, redemption.rewardId(), memberId,
            redemption.points(), reversal.entryId(), reason, actor, now));
        metrics.cancelled();
        return view(memberId, redemptionId);
    }

    /** Marks a gift's order fulfilled; again with the same reference it changes nothing, with another it is refused. */
    @Transactional
    public Redemption fulfil(UUID memberId, UUID redemptionId, String reference, String actor) {
        var redemption = lock(memberId, redemptionId);
        if (redemption.rewardKind().issuesCoupon()) {
            throw new NotAnOrder(redemptionId);
        }
        if (redemption.status() == Status.USED && reference.equals(redemption.usedReference())) {
            return view(memberId, redemptionId);
        }
        requireIssued(redemption);
        use(redemption, reference, actor);
        return view(memberId, redemptionId);
    }

    /** What the coupon with this code is, for a caller who may act on its brand. */
    @Transactional(readOnly = true)
    public CouponCheck coupon(Caller caller, String code) {
        return check(byCode(caller, code, false));
    }

    /**
     * Consumes the coupon with this code under the consumer's reference (e.g. the till's order id). Consuming it
     * again under the same reference changes nothing and answers the same; under another it is refused.
     */
    @Transactional
    public CouponCheck consume(Caller caller, String code, String reference, String actor) {
        var redemption = byCode(caller, code, true);
        return switch (redemption.status()) {
            case CANCELLED -> throw new CouponCancelled(redemption.cancelledAt());
            case USED -> {
                if (!reference.equals(redemption.usedReference())) {
                    throw new CouponAlreadyConsumed(redemption.usedAt());
                }
                yield check(redemption);
            }
            case ISSUED -> {
                if (redemption.expiresAt() != null && !clock.instant().isBefore(redemption.expiresAt())) {
                    throw new CouponExpired(redemption.expiresAt());
                }
                use(redemption, reference, actor);
                yield check(byId(redemption.id()));
            }
        };
    }

    /** The rewards of the member's program that can be redeemed now, and whether the member can, as of now. */
    @Transactional(readOnly = true)
    public OptionPage options(UUID memberId, @Nullable String cursor, int limit) {
        var member = memberships.require(memberId);
        var catalog = rewards.catalog(new CatalogQuery(member.programId(), null, true, cursor, limit));
        var available = wallets.balance(member.id()).available();
        var level = tiers.getIfAvailable(() -> TierLevels.NONE).levelOf(member.id());
        var tenant = TenantContext.require();
        var items = catalog.items().stream().map(reward -> {
            var obstacles = new ArrayList<String>();
            if (available < reward.pointsCost()) {
                obstacles.add("insufficient-points");
            }
            if (reward.minimumTierLevel() != null && level < reward.minimumTierLevel()) {
                obstacles.add("tier-too-low");
            }
            if (reward.perMemberLimit() != null && held(tenant, reward.id(), member.id()) >= reward.perMemberLimit()) {
                obstacles.add("redemption-limit-reached");
            }
            return new RewardOption(reward, obstacles.isEmpty(), List.copyOf(obstacles));
        }).toList();
        return new OptionPage(items, catalog.nextCursor());
    }

    /** One of the member's redemptions as the member sees it, coupon code included. */
    @Transactional(readOnly = true)
    public Redemption view(UUID memberId, UUID redemptionId) {
        var row = byId(redemptionId);
        if (!row.memberId().equals(memberId)) {
            throw new RedemptionNotFound(redemptionId);
        }
        return redemption(row);
    }

    @Transactional(readOnly = true)
    public RedemptionPage page(UUID memberId, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        var after = cursor == null ? null : Cursors.decode(CURSOR, cursor);
        var rows = jdbc.sql(SELECT + """
                 where d.tenant_id = :tenant and d.membership_id = :member
                   and (cast(:after as bigint) is null or d.redemption_seq < :after)
                 order by d.redemption_seq desc
                 limit :limit""")
            .param("tenant", TenantContext.require()).param("member", memberId).param("after", after)
            .param("limit", limit + 1)
            .query(Redemptions::row)
            .list();
        var page = rows.subList(0, Math.min(limit, rows.size()));
        var next = rows.size() > limit
            ? Optional.of(Cursors.encode(CURSOR, page.getLast().seq())) : Optional.<String>empty();
        return new RedemptionPage(page.stream().map(this::redemption).toList(), next);
    }

    private void requireBelowLimit(UUID tenant, Reward reward, UUID memberId) {
        if (reward.perMemberLimit() == null) {
            return;
        }
        if (held(tenant, reward.id(), memberId) >= reward.perMemberLimit()) {
            throw new RedemptionLimitReached(reward.id(), reward.perMemberLimit());
        }
    }

    /** The member's redemptions of the reward that count against its limit: all but the cancelled ones. */
    private long held(UUID tenant, UUID rewardId, UUID memberId) {
        return jdbc.sql("""
                select count(*) from redemptions
                 where tenant_id = :tenant and reward_id = :reward and membership_id = :member
                   and status <> 'CANCELLED'""")
            .param("tenant", tenant).param("reward", rewardId).param("member", memberId)
            .query(Long.class).single();
    }

    /**
     * Takes one item of a limited stock; the update re-reads the row once a concurrent redemption holding it
     * commits, so of two redemptions of the last item one finds none left. An unlimited stock is not locked.
     */
    private void takeOneFromStock(UUID tenant, UUID rewardId) {
        int taken = jdbc.sql("""
                update rewards set stock = stock - 1
                 where tenant_id = :tenant and reward_id = :reward and stock is not null and stock > 0""")
            .param("tenant", tenant).param("reward", rewardId)
            .update();
        if (taken == 0) {
            var unlimited = jdbc.sql("""
                    select stock is null from rewards where tenant_id = :tenant and reward_id = :reward""")
                .param("tenant", tenant).param("reward", rewardId)
                .query(Boolean.class).single();
            if (!unlimited) {
                throw new RewardOutOfStock(rewardId);
            }
        }
    }

    private void requireIssued(Row redemption) {
        switch (redemption.status()) {
            case USED -> throw new RedemptionAlreadyUsed(redemption.id(), redemption.usedAt());
            case CANCELLED -> throw new RedemptionAlreadyCancelled(redemption.id(), redemption.cancelledAt());
            case ISSUED -> {
            }
        }
    }

    private void use(Row redemption, String reference, String actor) {
        var now = clock.instant();
        jdbc.sql("""
                update redemptions set status = 'USED', used_at = :now, used_reference = :reference, used_by = :actor
                 where tenant_id = :tenant and redemption_id = :id""")
            .param("now", Rewards.at(now)).param("reference", reference).param("actor", actor)
            .param("tenant", TenantContext.require()).param("id", redemption.id())
            .update();
        outbox.append(RedemptionUsed.TYPE, new RedemptionUsed(redemption.id(), redemption.rewardId(),
            redemption.memberId(), reference, actor, now));
        metrics.used();
    }

    /** The member's redemption, locked for this transaction. */
    private Row lock(UUID memberId, UUID redemptionId) {
        jdbc.sql("""
                select 1 from redemptions where tenant_id = :tenant and redemption_id = :id and membership_id = :member
                   for update""")
            .param("tenant", TenantContext.require()).param("id", redemptionId).param("member", memberId)
            .query(Integer.class).optional()
            .orElseThrow(() -> new RedemptionNotFound(redemptionId));
        return byId(redemptionId);
    }

    private Row byId(UUID redemptionId) {
        return jdbc.sql(SELECT + " where d.tenant_id = :tenant and d.redemption_id = :id")
            .param("tenant", TenantContext.require()).param("id", redemptionId)
            .query(Redemptions::row)
            .optional()
            .orElseThrow(() -> new RedemptionNotFound(redemptionId));
    }

    /** The redemption whose coupon has this code, if the caller may act on its brand (locked when asked to). */
    private Row byCode(Caller caller, String code, boolean lock) {
        var tenant = TenantContext.require();
        var normal = CouponCodes.normalise(code).orElseThrow(CouponNotFound::new);
        var id = jdbc.sql("select redemption_id from redemptions where tenant_id = :tenant and code_digest = :digest"
                + (lock ? " for update" : ""))
            .param("tenant", tenant).param("digest", codes.digest(tenant, normal))
            .query(UUID.class).optional()
            .orElseThrow(CouponNotFound::new);
        var row = byId(id);
        if (!caller.mayActOnBrand(row.brandId())) {
            throw new CouponNotFound();
        }
        return row;
    }

    private CouponCheck check(Row row) {
        var state = switch (row.status()) {
            case CANCELLED -> State.CANCELLED;
            case USED -> State.CONSUMED;
            case ISSUED -> row.expiresAt() != null && !clock.instant().isBefore(row.expiresAt())
                ? State.EXPIRED : State.VALID;
        };
        return new CouponCheck(row.id(), row.rewardId(), row.rewardName(), row.rewardKind(), row.memberId(), state,
            row.expiresAt(), row.usedAt(), row.usedReference());
    }

    private Redemption redemption(Row row) {
        Coupon coupon = null;
        if (row.sealed() != null) {
            var code = codes.open(TenantContext.require(), row.id(), row.sealed());
            coupon = new Coupon(code, code.substring(code.length() - 4), row.expiresAt());
        }
        var used = row.usedAt() == null ? null : new Use(row.usedAt(), row.usedReference());
        var cancellation = row.cancelledAt() == null ? null
            : new Cancellation(row.cancelledAt(), row.cancelEntryId(), row.cancelReason());
        return new Redemption(row.id(), row.rewardId(), row.rewardName(), row.rewardKind(), row.memberId(),
            row.programId(), row.points(), row.entryId(), row.status(), coupon, row.createdAt(), used, cancellation);
    }

    private record Row(long seq, UUID id, UUID rewardId, String rewardName, RewardKind rewardKind, UUID memberId,
            UUID programId, UUID brandId, long points, UUID entryId, Status status, byte @Nullable [] sealed,
            @Nullable Instant expiresAt, @Nullable Instant usedAt, @Nullable String usedReference,
            @Nullable Instant cancelledAt, @Nullable UUID cancelEntryId, @Nullable String cancelReason,
            Instant createdAt) {
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getLong("redemption_seq"), rs.getObject("redemption_id", UUID.class),
            rs.getObject("reward_id", UUID.class), rs.getString("reward_name"),
            RewardKind.valueOf(rs.getString("reward_kind")),
            rs.getObject("membership_id", UUID.class), rs.getObject("program_id", UUID.class),
            rs.getObject("brand_id", UUID.class), rs.getLong("points"), rs.getObject("entry_id", UUID.class),
            Status.valueOf(rs.getString("status")), rs.getBytes("code_sealed"), Rewards.instant(rs, "expires_at"),
            Rewards.instant(rs, "used_at"), rs.getString("used_reference"), Rewards.instant(rs, "cancelled_at"),
            rs.getObject("cancel_entry_id", UUID.class), rs.getString("cancel_reason"),
            Rewards.instant(rs, "created_at"));
    }
}
