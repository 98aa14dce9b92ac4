package io.pointbridge.tenant.ledger;

import io.pointbridge.tenant.TenantContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The current tenant's lots as scheduled work sees them: pending lots that became spendable, wallets holding
 * expired lots, and points about to expire. Each method finds one batch in the caller's transaction; what it
 * claims stays claimed until that transaction ends, so several instances share the work without doing any of
 * it twice.
 */
@Service
public class Lots {

    private final JdbcClient jdbc;

    Lots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A position in the order lots are walked in: by a time, then by lot id. */
    public record Cursor(Instant at, UUID lotId) {
    }

    /** Points of a lot that became spendable: none if a refund took them back while they were pending. */
    public record Released(UUID lotId, UUID membershipId, UUID programId, long points, Instant availableAt,
            @Nullable String reference) {
    }

    /**
     * Marks up to {@code limit} pending lots that became spendable by the cutoff as released, oldest first, and
     * returns them. Availability itself comes from the clock, not from this mark: it only makes sure each lot
     * is announced once. Lots another transaction holds are skipped and left for a later batch.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Released> releaseDue(Instant cutoff, int limit) {
        return jdbc.sql("""
                with due as (
                    select tenant_id, lot_id from lots
                     where tenant_id = :tenant and released_at is null and available_at > earned_at
                       and available_at <= :cutoff
                     order by available_at, lot_id
                     limit :limit
                       for update skip locked)
                update lots l set released_at = :cutoff
                  from due, accounts a, journal_entries e
                 where l.tenant_id = due.tenant_id and l.lot_id = due.lot_id
                   and a.tenant_id = l.tenant_id and a.account_id = l.account_id
                   and e.tenant_id = l.tenant_id and e.entry_id = l.entry_id
                returning l.lot_id, a.membership_id, a.program_id, l.remaining, l.available_at, e.reference""")
            .param("tenant", TenantContext.require()).param("cutoff", Ledger.at(cutoff)).param("limit", limit)
            .query((rs, row) -> new Released(rs.getObject("lot_id", UUID.class), rs.getObject("membership_id", UUID.class),
                rs.getObject("program_id", UUID.class), rs.getLong("remaining"),
                rs.getObject("available_at", OffsetDateTime.class).toInstant(), rs.getString("reference")))
            .list()
            .stream()
            .sorted(Comparator.comparing(Released::availableAt).thenComparing(Released::lotId))
            .toList();
    }

    /**
     * Wallets claimed for expiry: the memberships whose wallets this transaction now holds, how many wallets
     * were skipped because another transaction held them, and where the next batch starts (none at the end).
     */
    public record ClaimedWallets(List<UUID> membershipIds, int skipped, @Nullable Cursor next) {
    }

    /**
     * Finds the next {@code limit} lots expired by the cutoff after the cursor and claims their wallets, skipping
     * wallets another transaction holds (another instance, or a member spending right now). The claim locks the
     * wallet rows, as every ledger writer does first; {@link Ledger#expireAll} then locks their lots.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ClaimedWallets claimWalletsWithExpiredLots(Instant cutoff, @Nullable Cursor after, int limit) {
        var tenant = TenantContext.require();
        var lots = jdbc.sql(after == null ? """
                select expires_at, lot_id, account_id from lots
                 where tenant_id = :tenant and remaining > 0 and expires_at <= :cutoff
                 order by expires_at, lot_id
                 limit :limit""" : """
                select expires_at, lot_id, account_id from lots
                 where tenant_id = :tenant and remaining > 0 and expires_at <= :cutoff
                   and (expires_at, lot_id) > (:afterAt, :afterLot)
                 order by expires_at, lot_id
                 limit :limit""")
            .param("tenant", tenant).param("cutoff", Ledger.at(cutoff)).param("limit", limit)
            .param("afterAt", after == null ? null : Ledger.at(after.at()))
            .param("afterLot", after == null ? null : after.lotId())
            .query((rs, row) -> new DueLot(rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("lot_id", UUID.class), rs.getObject("account_id", UUID.class)))
            .list();
        if (lots.isEmpty()) {
            return new ClaimedWallets(List.of(), 0, null);
        }
        var accounts = lots.stream().map(DueLot::accountId).distinct().toList();
        var claimed = jdbc.sql("""
                select membership_id from accounts
                 where tenant_id = :tenant and kind = 'WALLET' and account_id in (:accounts)
                 order by account_id
                   for update skip locked""")
            .param("tenant", tenant).param("accounts", accounts)
            .query(UUID.class)
            .list();
        var last = lots.getLast();
        var next = lots.size() < limit ? null : new Cursor(last.expiresAt(), last.lotId());
        return new ClaimedWallets(claimed, accounts.size() - claimed.size(), next);
    }

    private record DueLot(Instant expiresAt, UUID lotId, UUID accountId) {
    }

    /** Points of one member that expire on one day (UTC), the earliest of them at {@code firstExpiresAt}. */
    public record Expiring(UUID membershipId, UUID programId, LocalDate expiresOn, long points, Instant firstExpiresAt) {
    }

    /** A batch of points about to expire, and where the next batch starts (none at the end). */
    public record ExpiringBatch(List<Expiring> expiring, @Nullable Cursor next) {
    }

    /**
     * The (member, UTC day) groups of the next {@code limit} lots of a program, after the cursor, that expire after
     * {@code from} and before {@code until}, walked in expiry order. A group holds all of that member's points
     * expiring that day, also those beyond {@code until} or in another batch, so that a reminder never
     * understates them; a group spanning two batches comes up in both.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ExpiringBatch expiringBetween(UUID programId, Instant from, Instant until, @Nullable Cursor after,
            int limit) {
        var tenant = TenantContext.require();
        var lots = jdbc.sql("""
                select l.expires_at, l.lot_id, l.account_id from lots l
                  join accounts a on a.tenant_id = l.tenant_id and a.account_id = l.account_id
                 where l.tenant_id = :tenant and l.remaining > 0 and l.expires_at > :from and l.expires_at < :until
                   and a.program_id = :program %s
                 order by l.expires_at, l.lot_id
                 limit :limit""".formatted(after == null ? "" : "and (l.expires_at, l.lot_id) > (:afterAt, :afterLot)"))
            .param("tenant", tenant).param("program", programId).param("from", Ledger.at(from))
            .param("until", Ledger.at(until)).param("limit", limit)
            .param("afterAt", after == null ? null : Ledger.at(after.at()))
            .param("afterLot", after == null ? null : after.lotId())
            .query((rs, row) -> new DueLot(rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("lot_id", UUID.class), rs.getObject("account_id", UUID.class)))
            .list();
        if (lots.isEmpty()) {
            return new ExpiringBatch(List.of(), null);
        }
        var groups = lots.stream().map(lot -> new Group(lot.accountId(), day(lot.expiresAt()))).distinct().toList();
        var firstDay = groups.stream().map(Group::day).min(Comparator.naturalOrder()).orElseThrow();
        var lastDay = groups.stream().map(Group::day).max(Comparator.naturalOrder()).orElseThrow();
        var sums = jdbc.sql("""
                select l.account_id, a.membership_id, (l.expires_at at time zone 'UTC')::date as expires_on,
                       sum(l.remaining) as points, min(l.expires_at) as first_expires_at
                  from lots l
                  join accounts a on a.tenant_id = l.tenant_id and a.account_id = l.account_id
                 where l.tenant_id = :tenant and l.account_id in (:accounts) and l.remaining > 0
                   and l.expires_at > :from and l.expires_at >= :firstDay and l.expires_at < :afterLastDay
                 group by l.account_id, a.membership_id, (l.expires_at at time zone 'UTC')::date""")
            .param("tenant", tenant).param("accounts", groups.stream().map(Group::accountId).distinct().toList())
            .param("from", Ledger.at(from)).param("firstDay", Ledger.at(firstDay.atStartOfDay(ZoneOffset.UTC).toInstant()))
            .param("afterLastDay", Ledger.at(lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))
            .query((rs, row) -> Map.entry(new Group(rs.getObject("account_id", UUID.class),
                rs.getObject("expires_on", LocalDate.class)), new Expiring(rs.getObject("membership_id", UUID.class),
                programId, rs.getObject("expires_on", LocalDate.class), rs.getLong("points"),
                rs.getObject("first_expires_at", OffsetDateTime.class).toInstant())))
            .list()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        var last = lots.getLast();
        return new ExpiringBatch(groups.stream().map(sums::get).toList(),
            lots.size() < limit ? null : new Cursor(last.expiresAt(), last.lotId()));
    }

    private record Group(UUID accountId, LocalDate day) {
    }

    private static LocalDate day(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
