package io.pointbridge.tenant.ledger;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.ledger.LedgerFailures.CreditedPointsSpent;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryAlreadyReversed;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryNotFound;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryNotReversible;
import io.pointbridge.tenant.ledger.LedgerFailures.InsufficientPoints;
import io.pointbridge.tenant.member.MemberNotFound;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Posts points to and from member wallets as balanced journal entries.
 *
 * <p>Every change is one entry whose postings sum to zero per program. A wallet credit makes a lot; a
 * wallet debit consumes lots first-to-expire first. Concurrent writers lock the wallet row first and its
 * lots after it, always in that order, so two debits of one wallet serialise and never overspend, while
 * writers on different wallets never wait for each other: system accounts have no balance row to lock.
 *
 * <p>When two persons are merged, a wallet may be merged into the survivor's wallet of the same program
 * ({@link #moveAll}); credits and debits addressed to the merged membership then go to the survivor's.
 *
 * <p>Corrections people make, manual adjustments ({@link #adjust}) and reversals ({@link #reverse}), are
 * audited in the transaction of their entry.
 */
@Service
public class Ledger {

    /** Merges flatten chains, so one hop is the most a wallet should need; more means corrupted data. */
    private static final int MAX_MERGE_HOPS = 4;

    private final JdbcClient jdbc;
    private final Map<SystemAccountKey, UUID> systemAccounts = new ConcurrentHashMap<>();
    private final Clock clock;
    private final LedgerMetrics metrics;
    private final AuditTrail audit;

    Ledger(JdbcClient jdbc, Clock clock, LedgerMetrics metrics, AuditTrail audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.metrics = metrics;
        this.audit = audit;
    }

    /**
     * Points into a member's wallet from a system account, as one new lot, spendable from {@code availableAt}
     * (at once if null or past). A wallet in debt repays it first: only what is left makes the lot.
     */
    public record Credit(UUID membershipId, long points, EntryKind kind, AccountKind from, @Nullable String reference,
            @Nullable String memo, String actor, @Nullable Instant expiresAt, @Nullable Instant availableAt) {
        public Credit {
            requirePositive(points);
            requireSystem(from);
            if (availableAt != null && expiresAt != null && !availableAt.isBefore(expiresAt)) {
                throw new IllegalArgumentException("points must become spendable before they expire");
            }
        }

        /** A credit spendable at once. */
        public Credit(UUID membershipId, long points, EntryKind kind, AccountKind from, @Nullable String reference,
                @Nullable String memo, String actor, @Nullable Instant expiresAt) {
            this(membershipId, points, kind, from, reference, memo, actor, expiresAt, null);
        }
    }

    /** What to do when a debit asks for more than the wallet has available. */
    public enum Shortfall {
        /** Refuse the whole debit. */
        REFUSE,
        /** Take what is available and report the rest as not recovered (clawback of points already spent). */
        TAKE_AVAILABLE
    }

    /** Points out of a member's wallet to a system account. */
    public record Debit(UUID membershipId, long points, EntryKind kind, AccountKind to, @Nullable String reference,
            @Nullable String memo, String actor, @Nullable UUID preferLotsOfEntry, Shortfall shortfall) {
        public Debit {
            requirePositive(points);
            requireSystem(to);
            Objects.requireNonNull(shortfall);
        }
    }

    /** A posted entry: the points it moved for the member (signed) and the wallet balance after it. */
    public record Posted(@Nullable UUID entryId, long points, long balanceAfter, Instant postedAt) {
    }

    /**
     * Points taken back from a member's wallet, e.g. those a refunded purchase earned. They come first from the
     * lots {@code ofEntry} made, spendable or still pending, then from the spendable lots first-to-expire first,
     * then from pending lots, those spendable last first. What the wallet does not hold becomes the member's debt
     * up to {@code debtLimit} in all (0: none); the rest is not recovered.
     */
    public record Clawback(UUID membershipId, long points, EntryKind kind, AccountKind to, @Nullable String reference,
            @Nullable String memo, String actor, @Nullable UUID ofEntry, long debtLimit) {
        public Clawback {
            requirePositive(points);
            requireSystem(to);
            if (debtLimit < 0) {
                throw new IllegalArgumentException("a debt limit is at least 0, was " + debtLimit);
            }
        }
    }

    /**
     * A posted clawback: points taken from the wallet's lots, points booked as debt, points not recovered, and the
     * balance after it (below zero when in debt). No entry when nothing could be taken.
     */
    public record ClawedBack(@Nullable UUID entryId, long recovered, long owed, long notRecovered, long balanceAfter,
            Instant postedAt) {
    }

    /** An expiry: the entry that moved what remained of the wallet's expired lots to breakage. */
    public record Expired(UUID entryId, UUID membershipId, UUID programId, long points, int lots, Instant postedAt) {
    }

    /**
     * A conversion between two wallets of different programs: {@code sourcePoints} leave the source wallet,
     * of which {@code feePoints} go to the source program's fee account and the rest to its exchange
     * clearing; {@code targetPoints} come out of the target program's exchange clearing into the target
     * wallet as one new lot. Only convertible lots are taken from the source wallet.
     *
     * @param targetExpiresAt   expiry of the new lot, or none
     * @param targetConvertible whether the new lot may be converted again
     */
    public record Exchange(UUID sourceMembershipId, UUID targetMembershipId, long sourcePoints, long feePoints,
            long targetPoints, @Nullable Instant targetExpiresAt, boolean targetConvertible, @Nullable String reference,
            @Nullable String memo, String actor) {
        public Exchange {
            requirePositive(sourcePoints);
            requirePositive(targetPoints);
            if (feePoints < 0 || feePoints >= sourcePoints) {
                throw new IllegalArgumentException("the fee must be at least 0 and less than the points converted");
            }
            if (sourceMembershipId.equals(targetMembershipId)) {
                throw new IllegalArgumentException("a conversion moves points between two different wallets");
            }
        }
    }

    /** A posted conversion: its entry and both wallets' balances after it. */
    public record Exchanged(UUID entryId, long sourceBalanceAfter, long targetBalanceAfter, Instant postedAt) {
    }

    /** What a reversal does when points the entry credited have been spent (or have expired) since. */
    public enum CreditedPoints {
        /** Take them back from whatever else the wallet holds; refuse only if it cannot cover them. */
        TAKE_FROM_WALLET,
        /** Refuse the reversal unless every lot the entry made is still whole, available and unexpired. */
        MUST_BE_UNSPENT
    }

    @Transactional
    public Posted credit(Credit credit) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var wallet = lockWallet(credit.membershipId());
        var entry = UUID.randomUUID();
        var availableAt = credit.availableAt() == null || credit.availableAt().isBefore(now) ? now : credit.availableAt();
        var write = new EntryWrite(tenant, entry, credit.kind(), credit.reference(), credit.memo(), credit.actor(), null, now)
            .posting(systemAccount(wallet.programId(), credit.from()), wallet.programId(), -credit.points())
            .posting(wallet.accountId(), wallet.programId(), credit.points());
        creditLots(write, tenant, wallet, credit.points(), availableAt, credit.expiresAt(), true);
        var balance = write.balance(wallet.accountId(), credit.points()).write(jdbc).get(wallet.accountId());
        metrics.posted(credit.kind(), credit.points());
        return new Posted(entry, credit.points(), balance, now);
    }

    @Transactional
    public Posted debit(Debit debit) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var wallet = lockWallet(debit.membershipId());
        var lots = openLots(tenant, wallet.accountId(), debit.preferLotsOfEntry(), false, now);
        long available = lots.stream().mapToLong(OpenLot::remaining).sum();
        long points = debit.points();
        if (available < points) {
            if (debit.shortfall() == Shortfall.REFUSE) {
                throw new InsufficientPoints(points, available);
            }
            points = available;
        }
        if (points == 0) {
            return new Posted(null, 0, wallet.balance(), now);
        }
        var entry = UUID.randomUUID();
        var write = new EntryWrite(tenant, entry, debit.kind(), debit.reference(), debit.memo(), debit.actor(), null, now)
            .posting(wallet.accountId(), wallet.programId(), -points)
            .posting(systemAccount(wallet.programId(), debit.to()), wallet.programId(), points);
        consumeLots(write, lots, points);
        var balance = write.balance(wallet.accountId(), -points).write(jdbc).get(wallet.accountId());
        metrics.posted(debit.kind(), points);
        return new Posted(entry, -points, balance, now);
    }

    /**
     * Posts a conversion as one entry across both programs: source wallet −S, source exchange clearing
     * +(S−F), source fee account +F, target exchange clearing −T, target wallet +T. Both programs' postings
     * sum to zero; what of S−F the target credit does not represent stays retired in the source clearing.
     * Locks both wallets in account order (as {@link #reverse} does), then the source wallet's lots.
     */
    @Transactional
    public Exchanged exchange(Exchange exchange) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var source = wallet(tenant, exchange.sourceMembershipId(), false);
        var target = wallet(tenant, exchange.targetMembershipId(), false);
        if (source.programId().equals(target.programId())) {
            throw new IllegalArgumentException("a conversion moves points between two different programs");
        }
        lockAccounts(tenant, List.of(source.accountId(), target.accountId()));
        var lots = openLots(tenant, source.accountId(), null, true, now);
        long available = lots.stream().mapToLong(OpenLot::remaining).sum();
        long debit = exchange.sourcePoints();
        if (available < debit) {
            throw new InsufficientPoints(debit, available);
        }
        long fee = exchange.feePoints();
        long credit = exchange.targetPoints();
        var entry = UUID.randomUUID();
        var write = new EntryWrite(tenant, entry, EntryKind.TRANSFER, exchange.reference(), exchange.memo(),
            exchange.actor(), null, now)
            .posting(source.accountId(), source.programId(), -debit)
            .posting(systemAccount(source.programId(), AccountKind.EXCHANGE_CLEARING), source.programId(), debit - fee);
        if (fee > 0) {
            write.posting(systemAccount(source.programId(), AccountKind.EXCHANGE_FEE), source.programId(), fee);
        }
        write.posting(systemAccount(target.programId(), AccountKind.EXCHANGE_CLEARING), target.programId(), -credit)
            .posting(target.accountId(), target.programId(), credit);
        consumeLots(write, lots, debit);
        // The target was read before it was locked, so it counts as possibly in debt: its debt lots are asked for now.
        creditLots(write, tenant, target, credit, now, exchange.targetExpiresAt(), exchange.targetConvertible());
        var balances = write.balance(source.accountId(), -debit).balance(target.accountId(), credit).write(jdbc);
        return new Exchanged(entry, balances.get(source.accountId()), balances.get(target.accountId()), now);
    }

    /**
     * A manual adjustment of a member's points by a person: positive credits them from the program's
     * adjustment account, negative debits them to it (refused beyond the available points). The reason
     * is kept with the entry and in the audit record.
     */
    @Transactional
    public Posted adjust(UUID membershipId, long points, String reason, String actor) {
        if (points == 0) {
            throw new IllegalArgumentException("an adjustment moves points");
        }
        var posted = points > 0
            ? credit(new Credit(membershipId, points, EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT, null, reason, actor,
                null))
            : debit(new Debit(membershipId, -points, EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT, null, reason, actor,
                null, Shortfall.REFUSE));
        var after = new LinkedHashMap<String, Object>();
        after.put("memberId", membershipId);
        after.put("balance", posted.balanceAfter());
        after.put("entryId", posted.entryId());
        after.put("points", posted.points());
        after.put("reason", reason);
        audit.record(new Change(actor, "points.adjusted", "member:" + membershipId,
            Map.of("memberId", membershipId, "balance", posted.balanceAfter() - posted.points()), after, null));
        return posted;
    }

    /**
     * Reverses an entry with one that negates each of its postings. Points the entry took from lots go
     * back to those same lots (keeping their expiry); points it put into lots are taken back from those
     * lots first. Refused if those points have been spent since and the wallet cannot cover them.
     *
     * <p>A purchase's earn and its refunds are refused as well: refunds take a purchase's points back by what
     * the purchase records it has reversed, so reversing one of those entries outside it would take the same
     * points twice, or report points as not recovered that were. A purchase is corrected by refunding it.
     */
    @Transactional
    public Posted reverse(UUID membershipId, UUID entryId, String actor, @Nullable String memo) {
        return reverse(membershipId, entryId, actor, memo, CreditedPoints.TAKE_FROM_WALLET);
    }

    /**
     * Reverses an entry as {@link #reverse(UUID, UUID, String, String)} does; with
     * {@link CreditedPoints#MUST_BE_UNSPENT} it is refused unless the lots the entry made are still whole,
     * checked once their wallets are locked. {@code points} and {@code balanceAfter} of the result are those
     * of the given member's wallet.
     */
    @Transactional
    public Posted reverse(UUID membershipId, UUID entryId, String actor, @Nullable String memo,
            CreditedPoints credited) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var kind = jdbc.sql("select kind from journal_entries where tenant_id = :tenant and entry_id = :entry")
            .param("tenant", tenant).param("entry", entryId).query(String.class).optional()
            .orElseThrow(() -> new EntryNotFound(entryId));
        var entryKind = EntryKind.valueOf(kind);
        if (entryKind == EntryKind.REVERSAL) {
            throw new EntryNotReversible(entryId, "it is a reversal itself");
        }
        if ((entryKind == EntryKind.EARN || entryKind == EntryKind.REFUND) && belongsToAPurchase(tenant, entryId)) {
            throw new EntryNotReversible(entryId, "it belongs to a purchase, whose refunds correct it");
        }
        if (entryKind == EntryKind.MERGE) {
            throw new EntryNotReversible(entryId, "it moved a wallet to the survivor of a merge of two persons");
        }
        // Giving expired points back to their lots would expire them again at the next run.
        if (entryKind == EntryKind.EXPIRY) {
            throw new EntryNotReversible(entryId, "its points had expired; credit them again with an adjustment");
        }
        // A conversion's entry belongs to its transfer, whose caps and settlement must follow a reversal.
        if (entryKind == EntryKind.TRANSFER && credited == CreditedPoints.TAKE_FROM_WALLET) {
            throw new EntryNotReversible(entryId, "it is a points exchange transfer; reverse the transfer instead");
        }
        var postings = jdbc.sql("""
                select p.account_id, p.program_id, p.amount, a.kind = 'WALLET' as wallet
                  from postings p join accounts a on a.tenant_id = p.tenant_id and a.account_id = p.account_id
                 where p.tenant_id = :tenant and p.entry_id = :entry order by p.line_no""")
            .param("tenant", tenant).param("entry", entryId)
            .query((rs, row) -> new OriginalPosting(rs.getObject("account_id", UUID.class),
                rs.getObject("program_id", UUID.class), rs.getLong("amount"), rs.getBoolean("wallet")))
            .list();
        var memberWallet = jdbc.sql("""
                select account_id from accounts where tenant_id = :tenant and membership_id = :membership and kind = 'WALLET'""")
            .param("tenant", tenant).param("membership", membershipId).query(UUID.class).optional();
        if (memberWallet.isEmpty() || postings.stream().noneMatch(p -> p.accountId().equals(memberWallet.get()))) {
            throw new EntryNotFound(entryId);
        }
        // Lock every wallet the entry touched, in account order, before any of their lots.
        lockAccounts(tenant,
            postings.stream().filter(OriginalPosting::wallet).map(OriginalPosting::accountId).toList());
        if (credited == CreditedPoints.MUST_BE_UNSPENT) {
            requireCreditedLotsWhole(tenant, entryId, now);
        }
        // Read after the locks, so a merge that held them is seen: a merged wallet stays empty.
        if (mergedInto(tenant, membershipId).isPresent()) {
            throw new EntryNotReversible(entryId, "member " + membershipId + " has been merged into another membership;"
                + " correct the survivor's wallet instead");
        }
        long memberBalanceBefore = jdbc.sql("""
                select balance from accounts where tenant_id = :tenant and account_id = :account""")
            .param("tenant", tenant).param("account", memberWallet.get()).query(Long.class).single();
        var reversal = UUID.randomUUID();
        try {
            insertEntry(tenant, reversal, EntryKind.REVERSAL, entryId.toString(), memo, actor, entryId, now);
        } catch (DuplicateKeyException alreadyReversed) {
            throw new EntryAlreadyReversed(entryId);
        }
        var movements = jdbc.sql("""
                select m.lot_id, m.amount, l.account_id from lot_movements m
                  join lots l on l.tenant_id = m.tenant_id and l.lot_id = m.lot_id
                 where m.tenant_id = :tenant and m.entry_id = :entry order by m.lot_id""")
            .param("tenant", tenant).param("entry", entryId)
            .query((rs, row) -> new Movement(rs.getObject("lot_id", UUID.class), rs.getLong("amount"),
                rs.getObject("account_id", UUID.class)))
            .list();
        long memberPoints = 0;
        long balanceAfter = 0;
        long memberBalanceAfter = memberBalanceBefore;
        short line = 1;
        for (var posting : postings) {
            insertPosting(tenant, reversal, line++, posting.accountId(), posting.programId(), -posting.amount());
            if (!posting.wallet()) {
                continue;
            }
            if (posting.amount() < 0) {
                restoreLots(tenant, reversal, movements, posting.accountId());
            } else {
                takeBackLots(tenant, reversal, entryId, posting.accountId(), posting.amount(), now);
            }
            long balance = changeBalance(tenant, posting.accountId(), -posting.amount());
            if (posting.accountId().equals(memberWallet.get())) {
                memberPoints -= posting.amount();
                balanceAfter = balance;
                memberBalanceAfter = balance;
            }
        }
        var after = new LinkedHashMap<String, Object>();
        after.put("memberId", membershipId);
        after.put("balance", memberBalanceAfter);
        after.put("reversedEntryId", entryId);
        after.put("entryId", reversal);
        after.put("points", memberPoints);
        if (memo != null) {
            after.put("reason", memo);
        }
        audit.record(new Change(actor, "entry.reversed", "member:" + membershipId,
            Map.of("memberId", membershipId, "balance", memberBalanceBefore, "entryId", entryId), after, null));
        metrics.posted(EntryKind.REVERSAL, Math.abs(memberPoints));
        return new Posted(reversal, memberPoints, balanceAfter, now);
    }

    /** The points a wallet merge moved: the entry (none if the wallet was empty), its points and source lots. */
    public record Moved(@Nullable UUID entryId, long points, int lots) {
    }

    /**
     * Moves every point of one member's wallet into another member's wallet of the same program, as one
     * {@link EntryKind#MERGE} entry. Each lot with points left is emptied into a new lot of the target
     * wallet with the same earned, available and expiry times: no point is created or lost, and none
     * becomes spendable or expires earlier or later than it would have. A debt moves too: it is settled from
     * the target's unexpired points, the rest stays owed in the target; and unexpired points moved into a
     * target in debt repay it first. Both wallets are locked in account order, then the source's lots, then
     * the target's.
     */
    @Transactional
    public Moved moveAll(UUID fromMembershipId, UUID toMembershipId, String actor, @Nullable String reference,
            @Nullable String memo) {
        if (fromMembershipId.equals(toMembershipId)) {
            throw new IllegalArgumentException("a wallet cannot be moved into itself");
        }
        var tenant = TenantContext.require();
        var now = clock.instant();
        var from = wallet(tenant, fromMembershipId, false);
        var to = wallet(tenant, toMembershipId, false);
        if (!from.programId().equals(to.programId())) {
            throw new IllegalArgumentException("wallets of different programs cannot be merged");
        }
        Stream.of(from, to).map(Wallet::accountId).sorted(Comparator.comparing(UUID::toString)).forEach(account ->
            jdbc.sql("select 1 from accounts where tenant_id = :tenant and account_id = :account for update")
                .param("tenant", tenant).param("account", account).query(Integer.class).single());
        var lots = jdbc.sql("""
                select lot_id, earned_at, available_at, expires_at, remaining, released_at, convertible from lots
                 where tenant_id = :tenant and account_id = :account
                   and (remaining > 0 or remaining < 0) -- the partial indexes of open and debt lots
                 order by expires_at asc nulls last, earned_at, lot_id
                 for update""")
            .param("tenant", tenant).param("account", from.accountId())
            .query((rs, row) -> new LotToMove(rs.getObject("lot_id", UUID.class),
                rs.getObject("earned_at", OffsetDateTime.class), rs.getObject("available_at", OffsetDateTime.class),
                rs.getObject("expires_at", OffsetDateTime.class), rs.getLong("remaining"),
                rs.getObject("released_at", OffsetDateTime.class), rs.getBoolean("convertible")))
            .list();
        long points = lots.stream().mapToLong(LotToMove::remaining).filter(remaining -> remaining > 0).sum();
        long debt = -lots.stream().mapToLong(LotToMove::remaining).filter(remaining -> remaining < 0).sum();
        if (points == 0 && debt == 0) {
            return new Moved(null, 0, 0);
        }
        var entry = UUID.randomUUID();
        insertEntry(tenant, entry, EntryKind.MERGE, reference, memo, actor, null, now);
        short line = 1;
        if (points > 0) {
            insertPosting(tenant, entry, line++, from.accountId(), from.programId(), -points);
            insertPosting(tenant, entry, line++, to.accountId(), to.programId(), points);
        }
        if (debt > 0) {
            insertPosting(tenant, entry, line++, from.accountId(), from.programId(), debt);
            insertPosting(tenant, entry, line, to.accountId(), to.programId(), -debt);
        }
        for (var lot : lots) {
            jdbc.sql("update lots set remaining = 0 where tenant_id = :tenant and lot_id = :lot")
                .param("tenant", tenant).param("lot", lot.lotId()).update();
            insertLotMovement(tenant, entry, lot.lotId(), -lot.remaining());
        }
        // The target's own debt first takes the unexpired points moving in; then the moved debt takes the
        // target's unexpired points (before the moved lots exist); what is left of it stays owed.
        long unexpired = lots.stream().filter(lot -> lot.remaining() > 0 && lot.unexpiredAt(now))
            .mapToLong(LotToMove::remaining).sum();
        long repay = repayDebt(tenant, entry, to.accountId(), unexpired);
        if (debt > 0) {
            var held = clawbackLots(tenant, to.accountId(), null, now);
            long settled = Math.min(debt, held.stream().mapToLong(OpenLot::remaining).sum());
            consumeLots(tenant, entry, held, settled);
            if (debt > settled) {
                newDebtLot(tenant, entry, to.accountId(), debt - settled, now);
            }
        }
        for (var lot : lots) {
            long keep = lot.remaining();
            if (keep <= 0) {
                continue;
            }
            if (repay > 0 && lot.unexpiredAt(now)) {
                long used = Math.min(repay, keep);
                keep -= used;
                repay -= used;
            }
            if (keep == 0) {
                continue;
            }
            var moved = UUID.randomUUID();
            jdbc.sql("""
                    insert into lots (tenant_id, lot_id, account_id, entry_id, earned_at, available_at, expires_at,
                                      original, remaining, released_at, convertible)
                    values (:tenant, :lot, :account, :entry, :earned, :available, :expires, :points, :points,
                            :released, :convertible)""")
                .param("tenant", tenant).param("lot", moved).param("account", to.accountId()).param("entry", entry)
                .param("earned", lot.earnedAt()).param("available", lot.availableAt()).param("expires", lot.expiresAt())
                .param("points", keep).param("released", lot.releasedAt()).param("convertible", lot.convertible())
                .update();
            insertLotMovement(tenant, entry, moved, keep);
        }
        var left = changeBalance(tenant, from.accountId(), debt - points);
        if (left != 0) {
            throw new IllegalStateException("wallet " + from.accountId() + " kept " + left + " points its lots do not hold");
        }
        changeBalance(tenant, to.accountId(), points - debt);
        metrics.posted(EntryKind.MERGE, points);
        return new Moved(entry, points - debt, lots.size());
    }

    private record LotToMove(UUID lotId, OffsetDateTime earnedAt, OffsetDateTime availableAt,
            @Nullable OffsetDateTime expiresAt, long remaining, @Nullable OffsetDateTime releasedAt, boolean convertible) {

        boolean unexpiredAt(Instant now) {
            return expiresAt == null || expiresAt.toInstant().isAfter(now);
        }
    }

    /**
     * Takes points back from a member's wallet as one entry: from the lots of the entry that credited them, then
     * spendable lots, then pending ones; what the wallet does not hold becomes debt as far as the debt limit
     * allows, as a debt lot (negative points) that later credits repay before any of their points are spendable.
     * The database refuses new debt beyond what the program allows, whatever the caller passed.
     */
    @Transactional
    public ClawedBack clawBack(Clawback clawback) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        var wallet = lockWallet(clawback.membershipId());
        var lots = clawbackLots(tenant, wallet.accountId(), clawback.ofEntry(), now);
        long recovered = Math.min(clawback.points(), lots.stream().mapToLong(OpenLot::remaining).sum());
        long room = Math.max(0, clawback.debtLimit() - debt(tenant, wallet.accountId()));
        long owed = Math.min(clawback.points() - recovered, room);
        long notRecovered = clawback.points() - recovered - owed;
        long points = recovered + owed;
        if (points == 0) {
            return new ClawedBack(null, 0, 0, notRecovered, wallet.balance(), now);
        }
        var entry = UUID.randomUUID();
        insertEntry(tenant, entry, clawback.kind(), clawback.reference(), clawback.memo(), clawback.actor(), null, now);
        insertPosting(tenant, entry, 1, wallet.accountId(), wallet.programId(), -points);
        insertPosting(tenant, entry, 2, systemAccount(wallet.programId(), clawback.to()), wallet.programId(), points);
        // The balance moves before the debt lot exists: the database then checks new debt against the limit.
        var balance = changeBalance(tenant, wallet.accountId(), -points);
        consumeLots(tenant, entry, lots, recovered);
        if (owed > 0) {
            newDebtLot(tenant, entry, wallet.accountId(), owed, now);
        }
        metrics.posted(clawback.kind(), points);
        return new ClawedBack(entry, recovered, owed, notRecovered, balance, now);
    }

    /**
     * Moves what remains of the member's lots expired by the cutoff to the program's breakage account, as one
     * {@link EntryKind#EXPIRY} entry for all of them: {@link #expireAll} for one wallet.
     *
     * @param cutoff lots expired at or before it go; never after now, so no point expires early
     */
    @Transactional
    public Optional<Expired> expire(UUID membershipId, Instant cutoff, String actor) {
        return expireAll(List.of(membershipId), cutoff, actor).stream().findFirst();
    }

    /**
     * Moves what remains of the members' lots expired by the cutoff to their programs' breakage accounts, as one
     * {@link EntryKind#EXPIRY} entry per wallet for all its expired lots. An expiry run posts a thousand wallets
     * per transaction, so they go together in a fixed number of statements, whatever their number. Locks the
     * wallets in account order (a job that claimed them holds them already), then their expired lots; so a second
     * run, or another instance, finds them empty and posts nothing. The memberships' own wallets: a wallet merged
     * into another holds nothing.
     *
     * @param cutoff lots expired at or before it go; never after now, so no point expires early
     * @return an expiry per wallet that had expired points, in account order
     */
    @Transactional
    public List<Expired> expireAll(Collection<UUID> membershipIds, Instant cutoff, String actor) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        if (cutoff.isAfter(now)) {
            throw new IllegalArgumentException("points never expire ahead of time: cutoff " + cutoff + " is after " + now);
        }
        if (membershipIds.isEmpty()) {
            return List.of();
        }
        // Account order is the order lockAccounts takes too (a uuid sorts as its text does).
        var wallets = jdbc.sql("""
                select account_id, membership_id from accounts
                 where tenant_id = :tenant and kind = 'WALLET' and membership_id = any(cast(:members as uuid[]))
                 order by account_id
                   for update""")
            .param("tenant", tenant).param("members", membershipIds.stream().distinct().toArray(UUID[]::new))
            .query((rs, row) -> Map.entry(rs.getObject("membership_id", UUID.class), rs.getObject("account_id", UUID.class)))
            .list();
        var found = wallets.stream().map(Map.Entry::getKey).collect(Collectors.toSet());
        membershipIds.stream().filter(member -> !found.contains(member)).findFirst().ifPresent(missing -> {
            throw new MemberNotFound(missing.toString());
        });
        // One statement posts every wallet's entry, postings, lot movements and balance. The lots are locked in
        // account order, each wallet's in expiry order as one wallet's expiry took them. The breakage account is
        // left joined: a program without one fails the posting, where an inner join would drop its wallets' entries
        // and still empty their lots.
        var expired = jdbc.sql("""
                with due as materialized (
                    select lot_id, account_id, remaining from lots
                     where tenant_id = :tenant and account_id = any(cast(:accounts as uuid[]))
                       and remaining > 0 and expires_at <= :cutoff
                     order by account_id, expires_at, lot_id
                       for update),
                expiring as materialized (
                    select d.account_id, a.membership_id, a.program_id, b.account_id as breakage_id,
                           cast(sum(d.remaining) as bigint) as points, count(*) as lots, gen_random_uuid() as entry_id
                      from due d
                      join accounts a on a.tenant_id = :tenant and a.account_id = d.account_id
                      left join accounts b on b.tenant_id = :tenant and b.program_id = a.program_id
                                          and b.kind = 'BREAKAGE'
                     group by d.account_id, a.membership_id, a.program_id, b.account_id),
                entries as (
                    insert into journal_entries (tenant_id, entry_id, kind, reference, memo, actor, reverses_entry_id,
                                                 created_at)
                    select :tenant, entry_id, 'EXPIRY', null, 'points expired', :actor, null, :now
                      from expiring
                     order by account_id),
                lines as (
                    insert into postings (tenant_id, entry_id, line_no, account_id, program_id, amount)
                    select :tenant, w.entry_id, p.line_no, p.account_id, w.program_id, p.amount
                      from expiring w
                     cross join lateral (values (1, w.account_id, -w.points), (2, w.breakage_id, w.points))
                                        as p (line_no, account_id, amount)
                     order by w.account_id, p.line_no),
                movements as (
                    insert into lot_movements (tenant_id, entry_id, lot_id, amount)
                    select :tenant, w.entry_id, d.lot_id, -d.remaining
                      from due d join expiring w on w.account_id = d.account_id),
                emptied as (
                    update lots l set remaining = 0
                      from due d
                     where l.tenant_id = :tenant and l.lot_id = d.lot_id),
                balances as (
                    update accounts a set balance = a.balance - w.points
                      from expiring w
                     where a.tenant_id = :tenant and a.account_id = w.account_id)
                select entry_id, membership_id, program_id, points, lots from expiring order by account_id""")
            .param("tenant", tenant).param("accounts", wallets.stream().map(Map.Entry::getValue).toArray(UUID[]::new))
            .param("cutoff", at(cutoff)).param("actor", actor).param("now", at(now))
            .query((rs, row) -> new Expired(rs.getObject("entry_id", UUID.class), rs.getObject("membership_id", UUID.class),
                rs.getObject("program_id", UUID.class), rs.getLong("points"), rs.getInt("lots"), now))
            .list();
        metrics.posted(EntryKind.EXPIRY, expired.stream().mapToLong(Expired::points).sum());
        return expired;
    }

    /** Gives points back to the lots they were taken from; a wallet in debt repays it with them first. */
    private void restoreLots(UUID tenant, UUID reversal, List<Movement> movements, UUID wallet) {
        long back = movements.stream().filter(movement -> movement.accountId().equals(wallet) && movement.amount() < 0)
            .mapToLong(movement -> -movement.amount()).sum();
        long left = back - repayDebt(tenant, reversal, wallet, back);
        for (var movement : movements) {
            if (left > 0 && movement.accountId().equals(wallet) && movement.amount() < 0) {
                long give = Math.min(left, -movement.amount());
                jdbc.sql("update lots set remaining = remaining + :back where tenant_id = :tenant and lot_id = :lot")
                    .param("back", give).param("tenant", tenant).param("lot", movement.lotId()).update();
                insertLotMovement(tenant, reversal, movement.lotId(), give);
                left -= give;
            }
        }
    }

    /**
     * Takes credited points back: from the lots the entry made, then the wallet's other spendable and pending
     * lots; points the entry used to repay a debt are owed again if the wallet cannot cover them.
     */
    private void takeBackLots(UUID tenant, UUID reversal, UUID original, UUID wallet, long points, Instant now) {
        var lots = clawbackLots(tenant, wallet, original, now);
        long held = lots.stream().mapToLong(OpenLot::remaining).sum();
        long take = Math.min(points, held);
        long owedAgain = points - take;
        if (owedAgain > 0) {
            var repaid = jdbc.sql("""
                    select m.lot_id, m.amount as remaining from lot_movements m
                      join lots l on l.tenant_id = m.tenant_id and l.lot_id = m.lot_id
                     where m.tenant_id = :tenant and m.entry_id = :entry and l.account_id = :account
                       and l.original < 0 and m.amount > 0
                     order by m.lot_id
                       for update of l""")
                .param("tenant", tenant).param("entry", original).param("account", wallet)
                .query((rs, row) -> new OpenLot(rs.getObject("lot_id", UUID.class), rs.getLong("remaining")))
                .list();
            if (repaid.stream().mapToLong(OpenLot::remaining).sum() < owedAgain) {
                throw new InsufficientPoints(points, held);
            }
            consumeLots(tenant, reversal, repaid, owedAgain);
        }
        consumeLots(tenant, reversal, lots, take);
    }

    /**
     * Refuses unless every lot the entry made still holds all its points and is spendable. Called with the
     * wallets locked: every writer of a lot locks its wallet first, so the answer holds until commit.
     */
    private void requireCreditedLotsWhole(UUID tenant, UUID entry, Instant now) {
        var used = jdbc.sql("""
                select count(*) from lots
                 where tenant_id = :tenant and entry_id = :entry
                   and (remaining < original or available_at > :now
                        or (expires_at is not null and expires_at <= :now))""")
            .param("tenant", tenant).param("entry", entry).param("now", at(now))
            .query(Long.class).single();
        if (used > 0) {
            throw new CreditedPointsSpent(entry);
        }
    }

    /** Takes the points from the lots in their order, each lot's share a movement of the entry being written. */
    private static void consumeLots(EntryWrite write, List<OpenLot> lots, long points) {
        shares(lots, points).forEach(share -> write.changeLot(share.lotId(), -share.remaining()));
    }

    /**
     * What each lot gives of {@code points}, in the lots' order, until they are covered or the lots run out: a
     * lot's share is at most what it holds ({@code remaining}, or what a debt lot owes).
     */
    private static List<OpenLot> shares(List<OpenLot> lots, long points) {
        var shares = new ArrayList<OpenLot>();
        long left = points;
        for (var lot : lots) {
            if (left == 0) {
                break;
            }
            long share = Math.min(left, lot.remaining());
            shares.add(new OpenLot(lot.lotId(), share));
            left -= share;
        }
        return shares;
    }

    /**
     * Credits a wallet (locked by the caller) in the entry being written: its debt lots are repaid first, oldest
     * first, and what is left makes one new lot. A wallet without debt (known when it was locked) is not asked.
     */
    private void creditLots(EntryWrite write, UUID tenant, Wallet wallet, long points, Instant availableAt,
            @Nullable Instant expiresAt, boolean convertible) {
        long left = points;
        if (wallet.inDebt()) {
            for (var repaid : shares(debtLots(tenant, wallet.accountId()), points)) {
                write.changeLot(repaid.lotId(), repaid.remaining());
                left -= repaid.remaining();
            }
        }
        if (left > 0) {
            write.newLot(wallet.accountId(), left, availableAt, expiresAt, convertible);
        }
    }

    /** The wallet's debt lots, oldest first, locked; each with what it owes as a positive number. */
    private List<OpenLot> debtLots(UUID tenant, UUID wallet) {
        return jdbc.sql("""
                select lot_id, -remaining as owed from lots
                 where tenant_id = :tenant and account_id = :account and remaining < 0
                 order by earned_at, lot_id
                 for update""")
            .param("tenant", tenant).param("account", wallet)
            .query((rs, row) -> new OpenLot(rs.getObject("lot_id", UUID.class), rs.getLong("owed")))
            .list();
    }

    /** Takes the points from the lots in their order, recording each lot's share under the entry. */
    private void consumeLots(UUID tenant, UUID entry, List<OpenLot> lots, long points) {
        for (var share : shares(lots, points)) {
            jdbc.sql("update lots set remaining = remaining - :take where tenant_id = :tenant and lot_id = :lot")
                .param("take", share.remaining()).param("tenant", tenant).param("lot", share.lotId()).update();
            insertLotMovement(tenant, entry, share.lotId(), -share.remaining());
        }
    }

    /** Books points a member owes as a debt lot: negative, spendable never, repaid by later credits. */
    private void newDebtLot(UUID tenant, UUID entry, UUID wallet, long points, Instant now) {
        var lot = UUID.randomUUID();
        jdbc.sql("""
                insert into lots (tenant_id, lot_id, account_id, entry_id, earned_at, available_at, expires_at,
                                  original, remaining, convertible)
                values (:tenant, :lot, :account, :entry, :now, :now, null, :points, :points, false)""")
            .param("tenant", tenant).param("lot", lot).param("account", wallet).param("entry", entry)
            .param("now", at(now)).param("points", -points)
            .update();
        insertLotMovement(tenant, entry, lot, -points);
    }

    /** Repays the wallet's debt lots, oldest first, from points coming in; the wallet is locked. Returns what it used. */
    private long repayDebt(UUID tenant, UUID entry, UUID wallet, long points) {
        if (points == 0) {
            return 0;
        }
        long repaid = 0;
        for (var pay : shares(debtLots(tenant, wallet), points)) {
            jdbc.sql("update lots set remaining = remaining + :pay where tenant_id = :tenant and lot_id = :lot")
                .param("pay", pay.remaining()).param("tenant", tenant).param("lot", pay.lotId()).update();
            insertLotMovement(tenant, entry, pay.lotId(), pay.remaining());
            repaid += pay.remaining();
        }
        return repaid;
    }

    /** What the wallet owes: its debt lots' points, as a positive number. */
    private long debt(UUID tenant, UUID wallet) {
        return jdbc.sql("""
                select coalesce(-sum(remaining), 0) from lots
                 where tenant_id = :tenant and account_id = :account and remaining < 0""")
            .param("tenant", tenant).param("account", wallet)
            .query(Long.class)
            .single();
    }

    /**
     * Lots a clawback takes from, locked: the given entry's own first (spendable or pending), then spendable
     * lots first-to-expire first, then pending lots, those that would become spendable last first. Expired
     * lots are left to breakage.
     */
    private List<OpenLot> clawbackLots(UUID tenant, UUID wallet, @Nullable UUID ownEntry, Instant now) {
        return jdbc.sql("""
                select lot_id, remaining from lots
                 where tenant_id = :tenant and account_id = :account and remaining > 0
                   and (expires_at is null or expires_at > :now)
                 order by (entry_id is not distinct from cast(:own as uuid)) desc, (available_at <= :now) desc,
                          case when available_at > :now then available_at end desc nulls first,
                          expires_at asc nulls last, earned_at, lot_id
                 for update""")
            .param("tenant", tenant).param("account", wallet).param("now", at(now)).param("own", ownEntry)
            .query((rs, row) -> new OpenLot(rs.getObject("lot_id", UUID.class), rs.getLong("remaining")))
            .list();
    }

    private record OriginalPosting(UUID accountId, UUID programId, long amount, boolean wallet) {
    }

    private record Movement(UUID lotId, long amount, UUID accountId) {
    }

    private record Wallet(UUID accountId, UUID programId, long balance, @Nullable UUID mergedInto, boolean inDebt) {
    }

    private record OpenLot(UUID lotId, long remaining) {
    }

    /**
     * Locks the wallet postings for the member go to: its own, or, once its membership has been merged
     * into another, the survivor's. The merge is read after the lock, so a posting that waited for a merge
     * holding the wallet sees it; then the survivor's wallet is locked (the absorbed one first, always).
     */
    private Wallet lockWallet(UUID membershipId) {
        var tenant = TenantContext.require();
        for (int hop = 0; hop <= MAX_MERGE_HOPS; hop++) {
            var wallet = lockOwnWallet(membershipId);
            // Read after the lock, in a statement of its own: a merge or a clawback that held the wallet has
            // committed by now, and only a new statement sees what it did (a row the locking statement joined
            // would be the one it saw before it waited).
            var state = jdbc.sql("""
                    select m.merged_into_membership_id,
                           exists (select 1 from lots d
                                    where d.tenant_id = m.tenant_id and d.account_id = :account and d.remaining < 0)
                               as in_debt
                      from memberships m
                     where m.tenant_id = :tenant and m.membership_id = :membership""")
                .param("tenant", tenant).param("membership", membershipId).param("account", wallet.accountId())
                .query((rs, row) -> new Wallet(wallet.accountId(), wallet.programId(), wallet.balance(),
                    rs.getObject("merged_into_membership_id", UUID.class), rs.getBoolean("in_debt")))
                .single();
            if (state.mergedInto() == null) {
                return state;
            }
            membershipId = state.mergedInto();
        }
        throw new IllegalStateException("membership " + membershipId + " is merged more than " + MAX_MERGE_HOPS + " times over");
    }

    private Optional<UUID> mergedInto(UUID tenant, UUID membershipId) {
        return jdbc.sql("""
                select merged_into_membership_id from memberships
                 where tenant_id = :tenant and membership_id = :membership and merged_into_membership_id is not null""")
            .param("tenant", tenant).param("membership", membershipId)
            .query(UUID.class)
            .optional();
    }

    private Wallet lockOwnWallet(UUID membershipId) {
        return wallet(TenantContext.require(), membershipId, true);
    }

    /**
     * The membership's own wallet. Whether the membership was merged and whether the wallet owes points are known
     * only to {@link #lockWallet}, which asks after the lock; here the wallet counts as possibly in debt.
     */
    private Wallet wallet(UUID tenant, UUID membershipId, boolean lock) {
        var select = """
                select account_id, program_id, balance from accounts
                 where tenant_id = :tenant and membership_id = :membership and kind = 'WALLET'""";
        return jdbc.sql(lock ? select + " for update" : select)
            .param("tenant", tenant)
            .param("membership", membershipId)
            .query((rs, row) -> new Wallet(rs.getObject("account_id", UUID.class), rs.getObject("program_id", UUID.class),
                rs.getLong("balance"), null, true))
            .optional()
            .orElseThrow(() -> new MemberNotFound(membershipId.toString()));
    }

    /** Whether a purchase or one of its refunds made the entry: those are corrected through the purchase. */
    private boolean belongsToAPurchase(UUID tenant, UUID entryId) {
        return jdbc.sql("""
                select exists (select 1 from purchases where tenant_id = :tenant and entry_id = :entry)
                    or exists (select 1 from refunds where tenant_id = :tenant and entry_id = :entry)""")
            .param("tenant", tenant).param("entry", entryId)
            .query(Boolean.class)
            .single();
    }

    /**
     * Locks wallets in one global order (account id), so that writers of several wallets never deadlock: in one
     * statement, since its rows are locked in the order it returns them.
     */
    private void lockAccounts(UUID tenant, List<UUID> accounts) {
        var distinct = accounts.stream().distinct().toList();
        int locked = jdbc.sql("""
                select account_id from accounts where tenant_id = :tenant and account_id in (:accounts)
                 order by account_id
                   for update""")
            .param("tenant", tenant).param("accounts", distinct).query(UUID.class).list().size();
        if (locked != distinct.size()) {
            throw new IllegalStateException("locked " + locked + " of the accounts " + distinct);
        }
    }

    /**
     * Spendable lots, the given entry's own first, then first-to-expire first; locked for this transaction.
     * With {@code convertibleOnly}, only lots whose points may be converted to another program.
     */
    private List<OpenLot> openLots(UUID tenant, UUID wallet, @Nullable UUID preferEntry, boolean convertibleOnly,
            Instant now) {
        return new ArrayList<>(jdbc.sql("""
                select lot_id, remaining from lots
                 where tenant_id = :tenant and account_id = :account and remaining > 0
                   and available_at <= :now and (expires_at is null or expires_at > :now)
                   and (convertible or not :convertibleOnly)
                 order by (entry_id is not distinct from cast(:prefer as uuid)) desc, expires_at asc nulls last, earned_at, lot_id
                 for update""")
            .param("tenant", tenant).param("account", wallet).param("now", at(now)).param("prefer", preferEntry)
            .param("convertibleOnly", convertibleOnly)
            .query((rs, row) -> new OpenLot(rs.getObject("lot_id", UUID.class), rs.getLong("remaining")))
            .list());
    }

    /**
     * The program's account of that kind (issuance, breakage, exchange clearing). A program's system accounts are
     * made with the program and never change, so their ids are kept once read (a few per program).
     */
    private UUID systemAccount(UUID program, AccountKind kind) {
        var tenant = TenantContext.require();
        var key = new SystemAccountKey(tenant, program, kind);
        var known = systemAccounts.get(key);
        if (known != null) {
            return known;
        }
        var id = jdbc.sql("select account_id from accounts where tenant_id = :tenant and program_id = :program and kind = :kind")
            .param("tenant", tenant).param("program", program).param("kind", kind.name())
            .query(UUID.class)
            .single();
        systemAccounts.put(key, id);
        return id;
    }

    private record SystemAccountKey(UUID tenant, UUID program, AccountKind kind) {
    }

    private void insertEntry(UUID tenant, UUID entry, EntryKind kind, @Nullable String reference, @Nullable String memo,
            String actor, @Nullable UUID reverses, Instant now) {
        jdbc.sql("""
                insert into journal_entries (tenant_id, entry_id, kind, reference, memo, actor, reverses_entry_id, created_at)
                values (:tenant, :entry, :kind, :reference, :memo, :actor, :reverses, :now)""")
            .param("tenant", tenant).param("entry", entry).param("kind", kind.name()).param("reference", reference)
            .param("memo", memo).param("actor", actor).param("reverses", reverses).param("now", at(now))
            .update();
    }

    private void insertPosting(UUID tenant, UUID entry, int line, UUID account, UUID program, long amount) {
        jdbc.sql("""
                insert into postings (tenant_id, entry_id, line_no, account_id, program_id, amount)
                values (:tenant, :entry, :line, :account, :program, :amount)""")
            .param("tenant", tenant).param("entry", entry).param("line", line).param("account", account)
            .param("program", program).param("amount", amount)
            .update();
    }

    private void insertLotMovement(UUID tenant, UUID entry, UUID lot, long amount) {
        jdbc.sql("insert into lot_movements (tenant_id, entry_id, lot_id, amount) values (:tenant, :entry, :lot, :amount)")
            .param("tenant", tenant).param("entry", entry).param("lot", lot).param("amount", amount)
            .update();
    }

    private long changeBalance(UUID tenant, UUID account, long delta) {
        return jdbc.sql("""
                update accounts set balance = balance + :delta
                 where tenant_id = :tenant and account_id = :account returning balance""")
            .param("delta", delta).param("tenant", tenant).param("account", account)
            .query(Long.class)
            .single();
    }

    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static void requirePositive(long points) {
        if (points <= 0) {
            throw new IllegalArgumentException("points must be positive, was " + points);
        }
    }

    private static void requireSystem(AccountKind kind) {
        if (kind == AccountKind.WALLET) {
            throw new IllegalArgumentException("the other side of a wallet posting is a system account");
        }
    }
}
