package io.pointbridge.bench.seed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ledger's invariants, checked over every tenant at once with one set-based query each (the same rules as
 * tenant-core's LedgerVerification, which checks one tenant through the application): every entry has two
 * postings or more and balances per program; every program's accounts sum to zero; every wallet's balance equals
 * the sum of its postings and the sum of its lots' remaining points; every lot's remaining points equal the sum of
 * its movements and lie within its original amount; no wallet is below zero without a debt.
 */
public final class Invariants {

    private static final List<Check> CHECKS = List.of(
        new Check("entries with fewer than two postings", """
                select count(*) from journal_entries e
                  left join (select tenant_id, entry_id, count(*) as lines from postings group by tenant_id, entry_id) p
                    on p.tenant_id = e.tenant_id and p.entry_id = e.entry_id
                 where coalesce(p.lines, 0) < 2"""),
        new Check("entries that do not balance per program", """
                select count(*) from (select 1 from postings group by tenant_id, entry_id, program_id
                                       having sum(amount) <> 0) unbalanced"""),
        new Check("programs whose accounts do not sum to zero", """
                select count(*) from (
                    select tenant_id, program_id from (
                        select tenant_id, program_id, balance as amount from accounts where kind = 'WALLET'
                        union all
                        select p.tenant_id, p.program_id, p.amount from postings p
                          join accounts a on a.tenant_id = p.tenant_id and a.account_id = p.account_id
                         where a.kind <> 'WALLET') s
                     group by tenant_id, program_id having sum(amount) <> 0) unbalanced"""),
        new Check("wallets whose balance differs from their postings", """
                select count(*) from accounts a
                  left join (select tenant_id, account_id, sum(amount) as total from postings
                              group by tenant_id, account_id) p
                    on p.tenant_id = a.tenant_id and p.account_id = a.account_id
                 where a.kind = 'WALLET' and a.balance <> coalesce(p.total, 0)"""),
        new Check("wallets whose balance differs from their lots", """
                select count(*) from accounts a
                  left join (select tenant_id, account_id, sum(remaining) as total from lots
                              group by tenant_id, account_id) l
                    on l.tenant_id = a.tenant_id and l.account_id = a.account_id
                 where a.kind = 'WALLET' and a.balance <> coalesce(l.total, 0)"""),
        new Check("lots whose remaining points differ from their movements", """
                select count(*) from lots l
                  left join (select tenant_id, lot_id, sum(amount) as total from lot_movements
                              group by tenant_id, lot_id) m
                    on m.tenant_id = l.tenant_id and m.lot_id = l.lot_id
                 where l.remaining <> coalesce(m.total, 0)"""),
        new Check("lots with remaining points outside their original amount", """
                select count(*) from lots
                 where not ((original > 0 and remaining between 0 and original)
                         or (original < 0 and remaining between original and 0))"""),
        new Check("wallets below zero without a debt", """
                select count(*) from accounts a
                 where a.kind = 'WALLET' and a.balance < 0
                   and not exists (select from lots d where d.tenant_id = a.tenant_id and d.account_id = a.account_id
                                                        and d.remaining < 0)"""));

    private Invariants() {
    }

    /** One invariant: how many rows break it, and how long the query took. */
    public record Result(String invariant, long violations, Duration elapsed) {
    }

    /** Every invariant's result; {@link #holds()} if none is broken. */
    public record Report(List<Result> results) {

        public Report {
            results = List.copyOf(results);
        }

        public boolean holds() {
            return results.stream().allMatch(result -> result.violations() == 0);
        }

        /** One line per invariant: OK or the number of rows that break it. */
        public String describe() {
            var text = new StringBuilder();
            for (var result : results) {
                text.append(String.format(Locale.ROOT, "  %-58s %s  (%.1f s)%n", result.invariant(),
                    result.violations() == 0 ? "OK" : "BROKEN by " + result.violations(),
                    result.elapsed().toMillis() / 1000.0));
            }
            return text.toString();
        }
    }

    /** Runs every check over one snapshot of the database (a repeatable-read transaction). */
    public static Report check(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        var results = new ArrayList<Result>();
        try (var statement = connection.createStatement()) {
            statement.execute("set local work_mem = '256MB'");
            for (var check : CHECKS) {
                long started = System.nanoTime();
                try (var rows = statement.executeQuery(check.sql())) {
                    rows.next();
                    results.add(new Result(check.invariant(), rows.getLong(1), Duration.ofNanos(System.nanoTime() - started)));
                }
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
            connection.setTransactionIsolation(isolation);
        }
        return new Report(results);
    }

    /** Checks a database alone ({@code --jdbc-url URL}, as postgres unless it names a user); exits 1 if broken. */
    public static void main(String[] args) throws SQLException {
        if (args.length != 2 || !args[0].equals("--jdbc-url")) {
            throw new IllegalArgumentException("usage: Invariants --jdbc-url URL");
        }
        var properties = new java.util.Properties();
        if (!args[1].contains("user=")) {
            properties.setProperty("user", "postgres");
        }
        try (var connection = java.sql.DriverManager.getConnection(args[1], properties)) {
            var report = check(connection);
            System.out.print(report.describe());
            if (!report.holds()) {
                System.exit(1);
            }
        }
    }

    private record Check(String invariant, String sql) {
    }
}
