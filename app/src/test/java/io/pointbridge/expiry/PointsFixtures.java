package io.pointbridge.expiry;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.ledger.WalletBalance;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.purchase.Purchases;
import io.pointbridge.tenant.purchase.Purchases.NewPurchase;
import io.pointbridge.tenant.purchase.Purchases.NewRefund;
import io.pointbridge.tenant.purchase.Purchases.PurchaseRecorded;
import io.pointbridge.tenant.purchase.Purchases.RefundRecorded;
import io.pointbridge.tenant.tenancy.PointsPolicies;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.testing.Fixtures;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Situations of points over time (policies, lots that expire, purchases and refunds) and what the ledger then holds. */
@Component
class PointsFixtures {

    static final Currency EUR = Currency.getInstance("EUR");
    static final String ACTOR = "test:points";

    private final Fixtures fixtures;
    private final PointsPolicies policies;
    private final Ledger ledger;
    private final Purchases purchases;
    private final Wallets wallets;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    PointsFixtures(Fixtures fixtures, PointsPolicies policies, Ledger ledger, Purchases purchases, Wallets wallets,
            JdbcClient jdbc, PlatformTransactionManager transactionManager, JsonMapper json) {
        this.fixtures = fixtures;
        this.policies = policies;
        this.ledger = ledger;
        this.purchases = purchases;
        this.wallets = wallets;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
    }

    /** Gives the brand's program the policy. */
    void policy(Group group, BrandSetup brand, PointsPolicy policy) {
        fixtures.as(group, () -> policies.change(brand.program().id(), policy, ACTOR, null));
    }

    /** A new cafe member with one lot per amount of points, each expiring at the given time. */
    Membership memberWithLotsExpiringAt(Group group, Instant expiresAt, long... lots) {
        var member = fixtures.member(group);
        for (long points : lots) {
            lot(group, member, expiresAt, points);
        }
        return member;
    }

    /** One more lot of the member's, expiring at the given time. */
    void lot(Group group, Membership member, Instant expiresAt, long points) {
        fixtures.as(group, () -> ledger.credit(new Credit(member.id(), points, EntryKind.ADJUSTMENT,
            AccountKind.ADJUSTMENT, null, "test lot", ACTOR, expiresAt)));
    }

    /** The member buys for the given euro cents and earns by the program's rate and policy. */
    PurchaseRecorded purchase(Group group, Membership member, String orderId, long cents) {
        return fixtures.as(group, () -> purchases.record(new NewPurchase(member.id(), orderId, EUR, cents, List.of(),
            ACTOR)));
    }

    RefundRecorded refund(Group group, Membership member, String orderId, long cents) {
        return fixtures.as(group, () -> purchases.refund(new NewRefund(member.id(), orderId, EUR, cents, null, ACTOR)));
    }

    WalletBalance balance(Group group, Membership member) {
        return fixtures.as(group, () -> wallets.balance(member.id()));
    }

    /** Points the program's breakage account holds: all points that ever expired. */
    long breakage(Group group, BrandSetup brand) {
        return read(group, sql -> sql.sql("""
                select coalesce(sum(p.amount), 0) from postings p
                  join accounts a on a.tenant_id = p.tenant_id and a.account_id = p.account_id
                 where a.kind = 'BREAKAGE' and a.program_id = :program""")
            .param("program", brand.program().id()).query(Long.class).single());
    }

    /** The payloads of the group's outbox events of a type, oldest first. */
    List<JsonNode> events(Group group, String type) {
        return read(group, sql -> sql.sql("select payload::text from outbox_events where type = :type order by event_seq")
            .param("type", type).query(String.class).list()).stream().map(json::readTree).toList();
    }

    /** How many journal entries of the kind the group's ledger holds. */
    long entries(Group group, EntryKind kind) {
        return read(group, sql -> sql.sql("select count(*) from journal_entries where kind = :kind")
            .param("kind", kind.name()).query(Long.class).single());
    }

    /** Lots that more than one expiry entry took points from; none if every lot expired once at most. */
    List<String> lotsExpiredTwice(Group group) {
        return read(group, sql -> sql.sql("""
                select m.lot_id::text from lot_movements m
                  join journal_entries e on e.tenant_id = m.tenant_id and e.entry_id = m.entry_id
                 where e.kind = 'EXPIRY' group by m.lot_id having count(*) > 1""").query(String.class).list());
    }

    /**
     * What the group's ledger holds, independent of ids and timing: per member in the given order their booked,
     * available and expired points; per program its breakage; and the count of entries per kind.
     */
    record Snapshot(List<List<Long>> members, Map<String, Long> breakage, Map<String, Long> entries) {
    }

    Snapshot snapshot(Group group, List<Membership> members) {
        var rows = new ArrayList<List<Long>>();
        for (var member : members) {
            var balance = balance(group, member);
            rows.add(List.of(balance.balance(), balance.available(), balance.pending(), balance.expired(), balance.debt()));
        }
        return new Snapshot(rows, Map.of("cafe", breakage(group, group.cafe()), "cinema", breakage(group, group.cinema())),
            read(group, sql -> sql.sql("select kind, count(*) as entries from journal_entries group by kind")
                .query((rs, row) -> Map.entry(rs.getString("kind"), rs.getLong("entries"))).list()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }

    /** Reads the group's rows in a transaction of its own, as the runtime role under row-level security. */
    <T> T read(Group group, Function<JdbcClient, T> query) {
        return TenantContext.callAs(group.tenantId(), () -> transactions.execute(status -> query.apply(jdbc)));
    }
}
