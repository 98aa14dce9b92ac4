package io.pointbridge.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.identity.PersonMerges;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;

/**
 * Whatever the two persons hold across three programs, a merge keeps every program's points: the survivor
 * ends with both persons' points per program, in lots with the same expiries, and every invariant holds.
 */
class IdentityMergeProperties extends IntegrationTest {

    private static final int PROGRAMS = 3;
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Autowired
    private IdentityTestSupport support;

    @Autowired
    private Memberships memberships;

    @Autowired
    private Ledger ledger;

    @Autowired
    private PersonMerges merges;

    @Autowired
    private JdbcClient jdbc;

    private Group group;
    private List<UUID> programs;

    /** jqwik does not run Spring's JUnit extension: this prepares the instance from the one cached context. */
    @BeforeProperty
    void injectApplicationAndMakeAGroup() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
        group = fixtures.group();
        programs = List.of(group.cafe().program().id(), group.cinema().program().id(),
            support.brand(group, "bakery").program().id());
    }

    /** A wallet's content: lots (points and expiry in days, none for never) and points spent from it afterwards. */
    record Wallet(List<Lot> lots, long spend) {
    }

    record Lot(long points, @Nullable Integer expiresInDays) {
    }

    @Property(tries = 25)
    void aMergeKeepsEveryProgramsPointsAndTheirExpiry(@ForAll("holdings") List<@Nullable Wallet> survivorHolds,
            @ForAll("holdings") List<@Nullable Wallet> absorbedHolds) {
        var survivor = person(survivorHolds);
        var absorbed = person(absorbedHolds);
        var before = new HashMap<UUID, Long>();
        var lotsBefore = new HashMap<UUID, List<Expiring>>();
        for (var program : programs) {
            before.put(program, points(survivor, program) + points(absorbed, program));
            var lots = new ArrayList<>(lots(survivor, program));
            lots.addAll(lots(absorbed, program));
            lotsBefore.put(program, lots);
        }

        fixtures.as(group, () -> merges.merge(survivor.person(), absorbed.person(), "property", "test:property", null));

        for (var program : programs) {
            assertThat(points(survivor, program)).as("survivor's points in %s", program).isEqualTo(before.get(program));
            assertThat(points(absorbed, program)).isZero();
            assertThat(lots(survivor, program)).containsExactlyInAnyOrderElementsOf(lotsBefore.get(program));
        }
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Provide
    Arbitrary<List<@Nullable Wallet>> holdings() {
        var lot = Combinators.combine(Arbitraries.longs().between(1, 500),
            Arbitraries.integers().between(1, 400).injectNull(0.3)).as(Lot::new);
        var wallet = Combinators.combine(lot.list().ofMaxSize(3), Arbitraries.longs().between(0, 200))
            .as(Wallet::new).injectNull(0.3);
        return wallet.list().ofSize(PROGRAMS).filter(wallets -> wallets.stream().anyMatch(w -> w != null));
    }

    /** A person with a membership in each program its wallet is given for, holding those lots. */
    private Person person(List<@Nullable Wallet> holds) {
        return fixtures.as(group, () -> {
            UUID person = null;
            var members = new HashMap<UUID, Membership>();
            for (int i = 0; i < PROGRAMS; i++) {
                var wallet = holds.get(i);
                if (wallet == null) {
                    continue;
                }
                var member = memberships.enroll(programs.get(i), "cust-" + UUID.randomUUID(), person).membership();
                person = member.personId();
                members.put(programs.get(i), member);
                for (var lot : wallet.lots()) {
                    var expires = lot.expiresInDays() == null ? null : NOW.plus(Duration.ofDays(lot.expiresInDays()));
                    ledger.credit(new Credit(member.id(), lot.points(), EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT,
                        null, "property", "test:property", expires));
                }
                if (wallet.spend() > 0) {
                    ledger.debit(new Debit(member.id(), wallet.spend(), EntryKind.SPEND, AccountKind.REDEMPTION, null,
                        "property", "test:property", null, Shortfall.TAKE_AVAILABLE));
                }
            }
            return new Person(person, members);
        });
    }

    record Person(UUID person, Map<UUID, Membership> members) {
    }

    record Expiring(long points, @Nullable Instant expiresAt) {
    }

    /** What the person holds in the program now: the balances of its memberships there (merged ones hold none). */
    private long points(Person person, UUID program) {
        return support.inTenant(group, () -> jdbc.sql("""
                select coalesce(sum(a.balance), 0) from accounts a
                  join memberships m on m.tenant_id = a.tenant_id and m.membership_id = a.membership_id
                 where a.tenant_id = :tenant and m.person_id = :person and m.program_id = :program and a.kind = 'WALLET'""")
            .param("tenant", group.tenantId()).param("person", person.person()).param("program", program)
            .query(Long.class).single());
    }

    private List<Expiring> lots(Person person, UUID program) {
        return support.inTenant(group, () -> jdbc.sql("""
                select l.remaining, l.expires_at from lots l
                  join accounts a on a.tenant_id = l.tenant_id and a.account_id = l.account_id
                  join memberships m on m.tenant_id = a.tenant_id and m.membership_id = a.membership_id
                 where a.tenant_id = :tenant and m.person_id = :person and m.program_id = :program and l.remaining > 0""")
            .param("tenant", group.tenantId()).param("person", person.person()).param("program", program)
            .query((rs, row) -> {
                var expires = rs.getObject("expires_at", OffsetDateTime.class);
                return new Expiring(rs.getLong("remaining"), expires == null ? null : expires.toInstant());
            })
            .list());
    }
}
