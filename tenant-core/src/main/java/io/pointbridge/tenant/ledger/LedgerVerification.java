package io.pointbridge.tenant.ledger;

import io.pointbridge.tenant.TenantContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks the ledger's invariants over the current tenant's whole journal, from one consistent snapshot.
 * Tests run it after every scenario; operators can run it after a restore.
 */
@Service
public class LedgerVerification {

    private static final List<Check> CHECKS = List.of(
        new Check("entry does not balance per program", """
                select entry_id::text || ' / ' || program_id::text from postings where tenant_id = :tenant
                 group by entry_id, program_id having sum(amount) <> 0"""),
        new Check("program's accounts do not sum to zero", """
                select program_id::text from (
                    select program_id, balance as amount from accounts where tenant_id = :tenant and kind = 'WALLET'
                    union all
                    select p.program_id, p.amount from postings p
                      join accounts a on a.tenant_id = p.tenant_id and a.account_id = p.account_id
                     where p.tenant_id = :tenant and a.kind <> 'WALLET') s
                 group by program_id having sum(amount) <> 0"""),
        new Check("wallet balance differs from the replayed journal", """
                select a.account_id::text from accounts a
                  left join postings p on p.tenant_id = a.tenant_id and p.account_id = a.account_id
                 where a.tenant_id = :tenant and a.kind = 'WALLET'
                 group by a.account_id, a.balance having a.balance <> coalesce(sum(p.amount), 0)"""),
        new Check("wallet balance differs from its lots' remaining points", """
                select a.account_id::text from accounts a
                  left join lots l on l.tenant_id = a.tenant_id and l.account_id = a.account_id
                 where a.tenant_id = :tenant and a.kind = 'WALLET'
                 group by a.account_id, a.balance having a.balance <> coalesce(sum(l.remaining), 0)"""),
        new Check("lot's remaining points differ from its movements", """
                select l.lot_id::text from lots l
                  left join lot_movements m on m.tenant_id = l.tenant_id and m.lot_id = l.lot_id
                 where l.tenant_id = :tenant
                 group by l.lot_id, l.remaining having l.remaining <> coalesce(sum(m.amount), 0)"""),
        new Check("wallet below zero without a debt", """
                select a.account_id::text from accounts a
                 where a.tenant_id = :tenant and a.kind = 'WALLET' and a.balance < 0
                   and not exists (select from lots d where d.tenant_id = a.tenant_id and d.account_id = a.account_id
                                                        and d.remaining < 0)"""),
        // Credits repay a debt before any of their points are spendable, and a clawback takes every unexpired
        // point, pending ones too, before it books a debt: so a wallet in debt holds no point it could spend.
        new Check("wallet in debt holds unexpired points", """
                select distinct d.account_id::text from lots d
                  join lots l on l.tenant_id = d.tenant_id and l.account_id = d.account_id
                 where d.tenant_id = :tenant and d.remaining < 0
                   and l.remaining > 0 and (l.expires_at is null or l.expires_at > :now)"""));

    private final JdbcClient jdbc;
    private final Clock clock;

    /** Checks through the given client: the application's, or one on a restored copy of the database. */
    public LedgerVerification(JdbcClient jdbc) {
        this(jdbc, Clock.systemUTC());
    }

    /** Checks through the given client, with the clock that tells which points have expired. */
    @Autowired
    public LedgerVerification(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A broken invariant and the rows that break it. */
    public record Violation(String invariant, String subject) {
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public List<Violation> verify() {
        var tenant = TenantContext.require();
        var now = Ledger.at(clock.instant());
        var violations = new ArrayList<Violation>();
        for (var check : CHECKS) {
            var query = jdbc.sql(check.sql()).param("tenant", tenant);
            if (check.sql().contains(":now")) {
                query = query.param("now", now);
            }
            query.query(String.class).list()
                .forEach(subject -> violations.add(new Violation(check.invariant(), subject)));
        }
        return violations;
    }

    private record Check(String invariant, String sql) {
    }
}
