package io.pointbridge.tenant.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One journal entry and everything it changes, written to the database in one statement: the entry, its postings,
 * the lots it makes, the lots it draws from or repays (each with its movement) and the balances it moves.
 *
 * <p>An earn used to write these as nine statements, each a round trip that costs both the application and
 * PostgreSQL more than the row it writes. Here they are the data-modifying parts of one {@code WITH} query over
 * arrays: its shape does not depend on how many rows each part has (an empty array writes nothing), so it is
 * prepared once per connection. Foreign keys are checked at the end of the statement, when all its rows exist;
 * the entry's balance per program at commit, as for any entry.
 *
 * <p>The caller has locked what it changes: the wallets, and the existing lots it draws from or repays. Each
 * existing lot appears once ({@link #changeLot} adds up), since one statement changes a row once.
 */
final class EntryWrite {

    private static final String SQL = """
            with entry as (
                insert into journal_entries (tenant_id, entry_id, kind, reference, memo, actor, reverses_entry_id, created_at)
                values (:tenant, :entry, :kind, :reference, :memo, :actor, :reverses, :now)
            ), posting as (
                insert into postings (tenant_id, entry_id, line_no, account_id, program_id, amount)
                select :tenant, :entry, p.line_no, p.account_id, p.program_id, p.amount
                  from unnest(cast(:postingLines as int[]), cast(:postingAccounts as uuid[]),
                              cast(:postingPrograms as uuid[]), cast(:postingAmounts as bigint[]))
                       as p (line_no, account_id, program_id, amount)
            ), new_lot as (
                insert into lots (tenant_id, lot_id, account_id, entry_id, earned_at, available_at, expires_at, original,
                                  remaining, convertible)
                select :tenant, l.lot_id, l.account_id, :entry, :now, l.available_at, l.expires_at, l.points, l.points,
                       l.convertible
                  from unnest(cast(:newLots as uuid[]), cast(:newLotAccounts as uuid[]),
                              cast(:newLotAvailable as timestamptz[]), cast(:newLotExpires as timestamptz[]),
                              cast(:newLotPoints as bigint[]), cast(:newLotConvertible as boolean[]))
                       as l (lot_id, account_id, available_at, expires_at, points, convertible)
            ), changed_lot as (
                update lots set remaining = lots.remaining + c.amount
                  from unnest(cast(:changedLots as uuid[]), cast(:changedAmounts as bigint[])) as c (lot_id, amount)
                 where lots.tenant_id = :tenant and lots.lot_id = c.lot_id
            ), movement as (
                insert into lot_movements (tenant_id, entry_id, lot_id, amount)
                select :tenant, :entry, m.lot_id, m.amount
                  from unnest(cast(:movedLots as uuid[]), cast(:movedAmounts as bigint[])) as m (lot_id, amount)
            )
            update accounts set balance = accounts.balance + b.delta
              from unnest(cast(:balanceAccounts as uuid[]), cast(:balanceDeltas as bigint[])) as b (account_id, delta)
             where accounts.tenant_id = :tenant and accounts.account_id = b.account_id
            returning accounts.account_id, accounts.balance""";

    private final UUID tenant;
    private final UUID entry;
    private final EntryKind kind;
    private final @Nullable String reference;
    private final @Nullable String memo;
    private final String actor;
    private final @Nullable UUID reverses;
    private final Instant now;
    private final List<Posting> postings = new ArrayList<>();
    private final List<NewLot> newLots = new ArrayList<>();
    private final Map<UUID, Long> changedLots = new LinkedHashMap<>();
    private final Map<UUID, Long> balances = new LinkedHashMap<>();

    EntryWrite(UUID tenant, UUID entry, EntryKind kind, @Nullable String reference, @Nullable String memo, String actor,
            @Nullable UUID reverses, Instant now) {
        this.tenant = tenant;
        this.entry = entry;
        this.kind = kind;
        this.reference = reference;
        this.memo = memo;
        this.actor = actor;
        this.reverses = reverses;
        this.now = now;
    }

    private record Posting(UUID account, UUID program, long amount) {
    }

    private record NewLot(UUID lot, UUID account, Instant availableAt, @Nullable Instant expiresAt, long points,
            boolean convertible) {
    }

    /** The next posting line. */
    EntryWrite posting(UUID account, UUID program, long amount) {
        postings.add(new Posting(account, program, amount));
        return this;
    }

    /** A new lot of {@code points} (negative: a debt lot) in the wallet, with its movement. */
    EntryWrite newLot(UUID wallet, long points, Instant availableAt, @Nullable Instant expiresAt, boolean convertible) {
        newLots.add(new NewLot(UUID.randomUUID(), wallet, availableAt, expiresAt, points, convertible));
        return this;
    }

    /** Points taken from (negative) or given back to (positive) an existing lot the caller has locked, with its movement. */
    EntryWrite changeLot(UUID lot, long amount) {
        changedLots.merge(lot, amount, Long::sum);
        return this;
    }

    /** Moves an account's balance (the caller has locked a wallet's row). */
    EntryWrite balance(UUID account, long delta) {
        balances.merge(account, delta, Long::sum);
        return this;
    }

    /** Writes it all; answers the balances after it, by account. */
    Map<UUID, Long> write(JdbcClient jdbc) {
        var moved = new ArrayList<UUID>();
        var movedAmounts = new ArrayList<Long>();
        newLots.forEach(lot -> {
            moved.add(lot.lot());
            movedAmounts.add(lot.points());
        });
        changedLots.forEach((lot, amount) -> {
            moved.add(lot);
            movedAmounts.add(amount);
        });
        var after = new HashMap<UUID, Long>();
        jdbc.sql(SQL)
            .param("tenant", tenant).param("entry", entry).param("kind", kind.name()).param("reference", reference)
            .param("memo", memo).param("actor", actor).param("reverses", reverses).param("now", Ledger.at(now))
            .param("postingLines", lineNumbers(postings.size()))
            .param("postingAccounts", ids(postings.stream().map(Posting::account).toList()))
            .param("postingPrograms", ids(postings.stream().map(Posting::program).toList()))
            .param("postingAmounts", postings.stream().map(Posting::amount).toArray(Long[]::new))
            .param("newLots", ids(newLots.stream().map(NewLot::lot).toList()))
            .param("newLotAccounts", ids(newLots.stream().map(NewLot::account).toList()))
            .param("newLotAvailable", newLots.stream().map(lot -> lot.availableAt().toString()).toArray(String[]::new))
            .param("newLotExpires", newLots.stream()
                .map(lot -> lot.expiresAt() == null ? null : lot.expiresAt().toString()).toArray(String[]::new))
            .param("newLotPoints", newLots.stream().map(NewLot::points).toArray(Long[]::new))
            .param("newLotConvertible", newLots.stream().map(NewLot::convertible).toArray(Boolean[]::new))
            .param("changedLots", ids(List.copyOf(changedLots.keySet())))
            .param("changedAmounts", changedLots.values().toArray(Long[]::new))
            .param("movedLots", ids(moved))
            .param("movedAmounts", movedAmounts.toArray(Long[]::new))
            .param("balanceAccounts", ids(List.copyOf(balances.keySet())))
            .param("balanceDeltas", balances.values().toArray(Long[]::new))
            .query(rs -> {
                after.put(rs.getObject("account_id", UUID.class), rs.getLong("balance"));
            });
        if (after.size() != balances.size()) {
            throw new IllegalStateException("entry " + entry + " moved " + balances.size() + " balances but found "
                + after.size() + " accounts");
        }
        return after;
    }

    private static Integer[] lineNumbers(int count) {
        var lines = new Integer[count];
        for (int i = 0; i < count; i++) {
            lines[i] = i + 1;
        }
        return lines;
    }

    /** UUIDs as text, cast to {@code uuid[]} in the statement (the driver binds text arrays everywhere). */
    private static String[] ids(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }
}
