package io.pointbridge.tenant.ledger;

import io.pointbridge.tenant.Cursors;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.member.MemberNotFound;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads members' wallets: balances and history, the latter a page at a time with an opaque cursor. */
@Service
public class Wallets {

    public static final int MAX_PAGE_SIZE = 100;
    private static final String HISTORY = "h1";

    private final JdbcClient jdbc;
    private final Clock clock;

    Wallets(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A page of history, newest first; {@code nextCursor} is empty on the last page. */
    public record HistoryPage(List<HistoryLine> items, Optional<String> nextCursor) {
    }

    @Transactional(readOnly = true)
    public WalletBalance balance(UUID membershipId) {
        var tenant = TenantContext.require();
        var now = Ledger.at(clock.instant());
        var wallet = wallet(tenant, membershipId);
        var sums = jdbc.sql("""
                select coalesce(sum(remaining) filter (where remaining > 0 and available_at <= :now
                                                             and (expires_at is null or expires_at > :now)), 0) as available,
                       coalesce(sum(remaining) filter (where remaining > 0 and available_at > :now), 0) as pending,
                       coalesce(sum(remaining) filter (where expires_at <= :now), 0) as expired,
                       coalesce(-sum(remaining) filter (where remaining < 0), 0) as debt
                  from lots where tenant_id = :tenant and account_id = :account
                   -- Not "remaining <> 0": only these two arms match the partial indexes (open lots, debt lots);
                   -- "<>" scanned every lot of every tenant, one read slower with each lot in the ledger.
                   and (remaining > 0 or remaining < 0)""")
            .param("now", now).param("tenant", tenant).param("account", wallet.accountId())
            .query((rs, row) -> new long[] {rs.getLong("available"), rs.getLong("pending"), rs.getLong("expired"),
                rs.getLong("debt")})
            .single();
        var next = jdbc.sql("""
                select expires_at, sum(remaining) as points from lots
                 where tenant_id = :tenant and account_id = :account and remaining > 0 and expires_at > :now
                 group by expires_at order by expires_at limit 1""")
            .param("tenant", tenant).param("account", wallet.accountId()).param("now", now)
            .query((rs, row) -> new WalletBalance.NextExpiry(rs.getLong("points"),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
            .optional();
        return new WalletBalance(membershipId, wallet.programId(), wallet.balance(), sums[0], sums[1], sums[2],
            next.orElse(null), sums[3]);
    }

    /** Points of the wallet that can be converted to another program now: available, unexpired, not restricted. */
    @Transactional(readOnly = true)
    public long convertible(UUID membershipId) {
        var tenant = TenantContext.require();
        var wallet = wallet(tenant, membershipId);
        return jdbc.sql("""
                select coalesce(sum(remaining), 0) from lots
                 where tenant_id = :tenant and account_id = :account and remaining > 0 and convertible
                   and available_at <= :now and (expires_at is null or expires_at > :now)""")
            .param("tenant", tenant).param("account", wallet.accountId()).param("now", Ledger.at(clock.instant()))
            .query(Long.class)
            .single();
    }

    @Transactional(readOnly = true)
    public HistoryPage history(UUID membershipId, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        var tenant = TenantContext.require();
        var wallet = wallet(tenant, membershipId);
        var after = cursor == null ? null : Cursors.decode(HISTORY, cursor);
        var rows = jdbc.sql("""
                select p.posting_seq, p.amount, e.entry_id, e.kind, e.reference, e.memo, e.created_at, e.reverses_entry_id,
                       r.entry_id as reversed_by
                  from postings p
                  join journal_entries e on e.tenant_id = p.tenant_id and e.entry_id = p.entry_id
                  left join journal_entries r on r.tenant_id = e.tenant_id and r.reverses_entry_id = e.entry_id
                 where p.tenant_id = :tenant and p.account_id = :account
                   and (cast(:after as bigint) is null or p.posting_seq < :after)
                 order by p.posting_seq desc
                 limit :limit""")
            .param("tenant", tenant).param("account", wallet.accountId()).param("after", after).param("limit", limit + 1)
            .query((rs, row) -> new Row(rs.getLong("posting_seq"), new HistoryLine(rs.getObject("entry_id", UUID.class),
                EntryKind.valueOf(rs.getString("kind")), rs.getLong("amount"), rs.getString("reference"),
                rs.getString("memo"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("reverses_entry_id", UUID.class), rs.getObject("reversed_by", UUID.class))))
            .list();
        var page = rows.subList(0, Math.min(limit, rows.size()));
        var next = rows.size() > limit ? Optional.of(Cursors.encode(HISTORY, page.getLast().seq())) : Optional.<String>empty();
        return new HistoryPage(page.stream().map(Row::line).toList(), next);
    }

    private record Row(long seq, HistoryLine line) {
    }

    private record Wallet(UUID accountId, UUID programId, long balance) {
    }

    private Wallet wallet(UUID tenant, UUID membershipId) {
        return jdbc.sql("""
                select account_id, program_id, balance from accounts
                 where tenant_id = :tenant and membership_id = :membership and kind = 'WALLET'""")
            .param("tenant", tenant).param("membership", membershipId)
            .query((rs, row) -> new Wallet(rs.getObject("account_id", UUID.class), rs.getObject("program_id", UUID.class),
                rs.getLong("balance")))
            .optional()
            .orElseThrow(() -> new MemberNotFound(membershipId.toString()));
    }
}
