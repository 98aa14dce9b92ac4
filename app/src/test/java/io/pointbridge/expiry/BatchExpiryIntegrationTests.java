package io.pointbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pointbridge.tenant.expiry.PointsExpired;
import io.pointbridge.tenant.expiry.PointsJob;
import io.pointbridge.tenant.expiry.RunOptions;
import io.pointbridge.tenant.identity.PersonMerges;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.LedgerFailures.InsufficientPoints;
import io.pointbridge.tenant.member.MemberNotFound;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.testing.Concurrently;
import io.pointbridge.testing.Fixtures.Group;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The expiry posts a whole batch of wallets at once, and each wallet ends exactly as if it had been expired alone:
 * its own entry, postings, lot movements, balance and event; wallets without expired points, a merged wallet and
 * other tenants untouched; and members spending meanwhile never spend a point twice nor wait forever.
 */
class BatchExpiryIntegrationTests extends PointsOverTimeIntegrationTest {

    private static final String ACTOR = "test:batch-expiry";

    @Autowired
    Ledger ledger;

    @Autowired
    PersonMerges merges;

    @Autowired
    JsonMapper json;

    @Test
    void aBatchOfWalletsGetsOneEntryEachWithItsPostingsMovementsBalanceAndEvent() {
        var group = fixtures.group();
        var elsewhere = fixtures.group();
        points.policy(group, group.cafe(), new PointsPolicy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 100, Expiry.rolling(12),
            null));
        var expiresAt = clock.instant().plus(Duration.ofDays(1));
        var later = expiresAt.plus(Duration.ofDays(400));
        var members = new ArrayList<Membership>();
        for (int i = 0; i < 24; i++) {
            var lots = new long[i % 3 + 1];
            for (int lot = 0; lot < lots.length; lot++) {
                lots[lot] = 10L * (i + 1) + lot;
            }
            // Expiry times a second apart, so that the job's walk in expiry order interleaves the wallets.
            var member = points.memberWithLotsExpiringAt(group, expiresAt.plusSeconds(i % 5), lots);
            if (i % 2 == 0) {
                points.lot(group, member, later, 7);
            }
            if (i % 4 == 1) {
                spend(group, member, 5);
            }
            if (i % 6 == 0) {
                fixtures.credit(group, member, 3);
            }
            members.add(member);
        }
        var keeper = points.memberWithLotsExpiringAt(group, later, 70);
        var spentAll = points.memberWithLotsExpiringAt(group, expiresAt, 12);
        spend(group, spentAll, 12);
        var cinemaGoer = fixtures.member(group, group.cinema());
        points.lot(group, cinemaGoer, expiresAt, 33);
        points.lot(group, cinemaGoer, expiresAt.plusSeconds(3), 44);
        var persons = fixtures.person(group, group.cafe());
        var survivor = persons.getFirst();
        points.lot(group, survivor, expiresAt, 11);
        var absorbed = points.memberWithLotsExpiringAt(group, expiresAt, 13, 17);
        points.lot(group, absorbed, later, 5);
        fixtures.as(group, () -> merges.merge(survivor.personId(), absorbed.personId(), "same customer", ACTOR, null));
        var debtor = fixtures.member(group);
        points.purchase(group, debtor, "order-1", 80_00);
        spend(group, debtor, 80);
        points.lot(group, debtor, expiresAt, 20);
        var outsider = points.memberWithLotsExpiringAt(elsewhere, expiresAt, 30, 40);
        clock.advance(Duration.ofDays(2));
        assertThat(points.refund(group, debtor, "order-1", 80_00).pointsOwed()).isEqualTo(80);
        members.addAll(List.of(keeper, spentAll, cinemaGoer, survivor, absorbed, debtor));
        var before = state(group);
        var outsiderBefore = state(elsewhere);

        var run = jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR, RunOptions.batchesOf(1_000));

        var cutoff = run.cutoff();
        var expiring = before.expiring(cutoff);
        assertThat(run.totals().batches()).as("every wallet in one batch").isEqualTo(1);
        assertThat(expiring.keySet()).as("wallets with expired points")
            .doesNotContain(keeper.id(), spentAll.id(), absorbed.id())
            .contains(cinemaGoer.id(), survivor.id(), debtor.id())
            .hasSize(members.size() - 3);
        var after = state(group);
        var entries = expiryEntries(group);
        var events = points.events(group, PointsExpired.TYPE);
        var postedAt = events.stream().map(event -> json.treeToValue(event, PointsExpired.class))
            .collect(Collectors.toMap(PointsExpired::entryId, PointsExpired::expiredAt));
        assertThat(entries).hasSize(expiring.size()).allSatisfy(entry -> {
            assertThat(entry.memo()).isEqualTo("points expired");
            assertThat(entry.actor()).isEqualTo(ACTOR);
            assertThat(entry.reference()).isNull();
            assertThat(entry.reverses()).isNull();
            assertThat(postedAt.get(entry.entryId())).isBetween(cutoff, clock.instant());
            assertThat(Duration.between(entry.createdAt().toInstant(), postedAt.get(entry.entryId())).abs())
                .as("posted when its event says, to the database's microsecond").isLessThan(Duration.ofNanos(1_000));
        });
        var expectedEvents = new ArrayList<JsonNode>();
        for (var member : expiring.keySet().stream().sorted(before.byAccount()).toList()) {
            var wallet = before.wallets().get(member);
            var lots = expiring.get(member);
            long expired = lots.values().stream().mapToLong(Long::longValue).sum();
            var entry = entries.stream().filter(candidate -> candidate.postings().getFirst().accountId()
                .equals(wallet.accountId())).toList();
            assertThat(entry).as("expiry entries of %s", member).hasSize(1);
            assertThat(entry.getFirst().postings()).as("postings of %s's expiry", member).containsExactly(
                new Line(1, wallet.accountId(), wallet.programId(), -expired),
                new Line(2, before.breakage().get(wallet.programId()), wallet.programId(), expired));
            assertThat(entry.getFirst().movements()).as("lot movements of %s's expiry", member).isEqualTo(
                lots.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, lot -> -lot.getValue())));
            assertThat(after.wallets().get(member).balance()).isEqualTo(wallet.balance() - expired);
            expectedEvents.add(json.readTree(json.writeValueAsString(new PointsExpired(member, wallet.programId(),
                entry.getFirst().entryId(), expired, lots.size(), postedAt.get(entry.getFirst().entryId())))));
        }
        assertThat(events).as("one event per wallet, in the order the wallets were claimed")
            .containsExactlyElementsOf(expectedEvents);
        var emptied = expiring.values().stream().flatMap(lots -> lots.keySet().stream()).toList();
        var expectedLots = new HashMap<>(before.lots());
        emptied.forEach(lot -> expectedLots.put(lot, 0L));
        assertThat(after.lots()).as("expired lots emptied, every other lot as it was").isEqualTo(expectedLots);
        for (var member : members) {
            if (!expiring.containsKey(member.id())) {
                assertThat(after.wallets().get(member.id())).isEqualTo(before.wallets().get(member.id()));
            }
        }
        assertThat(after.wallets().get(debtor.id()).balance()).as("the debt stays owed").isEqualTo(-80);
        assertThat(run.totals().wallets()).isEqualTo(expiring.size());
        assertThat(run.totals().events()).isEqualTo(expiring.size());
        assertThat(run.totals().lots()).isEqualTo(emptied.size());
        assertThat(run.totals().points()).isEqualTo(expiring.values().stream()
            .flatMap(lots -> lots.values().stream()).mapToLong(Long::longValue).sum());
        assertThat(state(elsewhere)).as("another tenant's ledger").isEqualTo(outsiderBefore);
        assertThat(points.balance(elsewhere, outsider).expired()).isEqualTo(70);
        assertThat(points.entries(elsewhere, EntryKind.EXPIRY)).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
        assertThat(fixtures.violations(elsewhere)).isEmpty();
    }

    @Test
    void expiringSeveralWalletsPostsNothingForAMergedWalletOrOneWithoutExpiredPoints() {
        var group = fixtures.group();
        var expiresAt = clock.instant().plus(Duration.ofDays(1));
        var expiring = points.memberWithLotsExpiringAt(group, expiresAt, 20, 30);
        var keeper = points.memberWithLotsExpiringAt(group, expiresAt.plus(Duration.ofDays(30)), 40);
        var survivor = fixtures.person(group, group.cafe()).getFirst();
        var absorbed = points.memberWithLotsExpiringAt(group, expiresAt, 15);
        fixtures.as(group, () -> merges.merge(survivor.personId(), absorbed.personId(), "same customer", ACTOR, null));
        clock.advance(Duration.ofDays(2));

        var expired = fixtures.as(group, () -> ledger.expireAll(
            List.of(absorbed.id(), keeper.id(), expiring.id(), survivor.id()), clock.instant(), ACTOR));

        assertThat(expired).extracting(Ledger.Expired::membershipId, Ledger.Expired::points, Ledger.Expired::lots)
            .containsExactlyInAnyOrder(
                tuple(expiring.id(), 50L, 2),
                tuple(survivor.id(), 15L, 1));
        assertThat(points.balance(group, absorbed).balance()).isZero();
        assertThat(points.balance(group, keeper).available()).isEqualTo(40);
        assertThat(points.breakage(group, group.cafe())).isEqualTo(65);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void refusesAWalletItCannotSeeAndPostsNothingForTheOthers() {
        var group = fixtures.group();
        var elsewhere = fixtures.group();
        var expiresAt = clock.instant().plus(Duration.ofDays(1));
        var member = points.memberWithLotsExpiringAt(group, expiresAt, 20);
        var outsider = points.memberWithLotsExpiringAt(elsewhere, expiresAt, 30);
        clock.advance(Duration.ofDays(2));

        assertThatThrownBy(() -> fixtures.as(group, () -> ledger.expireAll(List.of(member.id(), outsider.id()),
            clock.instant(), ACTOR))).isInstanceOf(MemberNotFound.class);

        assertThat(points.balance(group, member).expired()).isEqualTo(20);
        assertThat(points.balance(elsewhere, outsider).expired()).isEqualTo(30);
        assertThat(points.entries(group, EntryKind.EXPIRY)).isZero();
    }

    @Test
    void refusesACutoffAfterNow() {
        var group = fixtures.group();
        var member = points.memberWithLotsExpiringAt(group, clock.instant().plus(Duration.ofDays(1)), 20);

        assertThatThrownBy(() -> fixtures.as(group, () -> ledger.expireAll(List.of(member.id()),
            clock.instant().plus(Duration.ofDays(2)), ACTOR))).isInstanceOf(IllegalArgumentException.class);

        assertThat(points.balance(group, member).available()).isEqualTo(20);
    }

    @Test
    void membersSpendingWhileTwoInstancesRunTheJobNeverSpendExpiredPointsOrSpendTwice() throws Exception {
        spendWhileExpiring(2, true, (group, members) -> jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR,
            RunOptions.batchesOf(7)).totals().wallets());
    }

    @Test
    void membersSpendingWhileWalletsAreExpiredDirectlyNeitherDeadlockNorSpendTwice() throws Exception {
        spendWhileExpiring(2, false, (group, members) -> {
            var shuffled = new ArrayList<>(members);
            Collections.shuffle(shuffled);
            return (long) fixtures.as(group, () -> ledger.expireAll(shuffled, clock.instant(), ACTOR)).size();
        });
    }

    /**
     * Members each with 25 expired points (two lots) and 60 that do not expire; a few clients spend 7 points of each
     * member, ten times per member in all, while {@code expirers} clients expire the wallets. Exactly eight spends
     * per member succeed: the expired points are never spent, the unexpired never expired. Events come from the job
     * only: from the expirers if they run it, else from the run after them for what they left.
     */
    private void spendWhileExpiring(int expirers, boolean throughTheJob, Expirer expirer) throws Exception {
        var group = fixtures.group();
        var expiresAt = clock.instant().plus(Duration.ofDays(1));
        var members = new ArrayList<Membership>();
        for (int i = 0; i < 20; i++) {
            var member = points.memberWithLotsExpiringAt(group, expiresAt.plusSeconds(i), 10, 15);
            points.lot(group, member, expiresAt.plus(Duration.ofDays(400)), 60);
            members.add(member);
        }
        clock.advance(Duration.ofDays(2));
        var ids = members.stream().map(Membership::id).toList();
        var spends = new ConcurrentHashMap<UUID, Integer>();
        int spenders = 5;

        var results = Concurrently.run(expirers + spenders, client -> {
            if (client < expirers) {
                return expirer.expire(group, ids);
            }
            long refused = 0;
            var order = new ArrayList<>(ids);
            Collections.rotate(order, client * 3);
            for (int round = 0; round < 2; round++) {
                for (var member : order) {
                    try {
                        spend(group, member, 7);
                        spends.merge(member, 1, Integer::sum);
                    } catch (InsufficientPoints insufficient) {
                        refused++;
                    }
                }
            }
            return refused;
        });
        jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        long posted = results.subList(0, expirers).stream().mapToLong(Long::longValue).sum();
        assertThat(posted).as("wallets the expirers posted, before the run that picked up what they left")
            .isLessThanOrEqualTo(members.size());
        assertThat(spends).as("spends per member").hasSize(members.size()).allSatisfy((member, spent) ->
            assertThat(spent).isEqualTo(60 / 7));
        assertThat(results.subList(expirers, results.size()).stream().mapToLong(Long::longValue).sum())
            .isEqualTo((long) members.size() * (spenders * 2 - 60 / 7));
        assertThat(members).allSatisfy(member -> {
            var balance = points.balance(group, member);
            assertThat(balance.balance()).isEqualTo(60 % 7);
            assertThat(balance.available()).isEqualTo(60 % 7);
            assertThat(balance.expired()).isZero();
        });
        assertThat(points.entries(group, EntryKind.EXPIRY)).isEqualTo(members.size());
        assertThat(points.lotsExpiredTwice(group)).isEmpty();
        assertThat(points.breakage(group, group.cafe())).isEqualTo(members.size() * 25L);
        assertThat(points.events(group, PointsExpired.TYPE)).hasSize(throughTheJob ? members.size()
            : members.size() - (int) posted);
        long belowZero = points.read(group, sql -> sql.sql("select count(*) from lots where remaining < 0")
            .query(Long.class).single());
        long spentExpired = points.read(group, sql -> sql.sql("""
                select count(*) from lot_movements m
                  join journal_entries e on e.tenant_id = m.tenant_id and e.entry_id = m.entry_id
                  join lots l on l.tenant_id = m.tenant_id and l.lot_id = m.lot_id
                 where e.kind = 'SPEND' and l.expires_at <= :expiresAt""")
            .param("expiresAt", expiresAt.plusSeconds(members.size()).atOffset(ZoneOffset.UTC))
            .query(Long.class).single());
        assertThat(belowZero).as("lots below zero").isZero();
        assertThat(spentExpired).as("spends that took points from expired lots").isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @FunctionalInterface
    private interface Expirer {
        /** Expires the members' wallets; returns how many it posted. */
        long expire(Group group, List<UUID> members);
    }

    private void spend(Group group, Membership member, long points) {
        spend(group, member.id(), points);
    }

    private void spend(Group group, UUID member, long points) {
        fixtures.as(group, () -> ledger.debit(new Debit(member, points, EntryKind.SPEND, AccountKind.REDEMPTION, null,
            null, ACTOR, null, Shortfall.REFUSE)));
    }

    /** A wallet as its account row holds it. */
    record Wallet(UUID accountId, UUID programId, long balance) {
    }

    /** A posting: line, account, program, amount. */
    record Line(int lineNo, UUID accountId, UUID programId, long amount) {
    }

    /** An expiry entry with its postings in line order and its lot movements by lot. */
    record Entry(UUID entryId, @Nullable String reference, String memo, String actor, @Nullable UUID reverses,
            OffsetDateTime createdAt, List<Line> postings, Map<UUID, Long> movements) {
    }

    /** Lot points, wallets by membership, breakage accounts by program, and each lot's wallet and expiry. */
    record State(Map<UUID, Long> lots, Map<UUID, Wallet> wallets, Map<UUID, UUID> breakage,
            Map<UUID, LotPlace> places) {

        /** Per membership with expired points, its lots expired by the cutoff and their points. */
        Map<UUID, Map<UUID, Long>> expiring(Instant cutoff) {
            var byAccount = wallets.entrySet().stream()
                .collect(Collectors.toMap(wallet -> wallet.getValue().accountId(), Map.Entry::getKey));
            var expiring = new HashMap<UUID, Map<UUID, Long>>();
            places.forEach((lot, place) -> {
                long remaining = lots.get(lot);
                if (remaining > 0 && place.expiresAt() != null && !place.expiresAt().isAfter(cutoff)) {
                    expiring.computeIfAbsent(byAccount.get(place.accountId()), member -> new HashMap<>())
                        .put(lot, remaining);
                }
            });
            return expiring;
        }

        /**
         * Memberships in the order of their wallets' accounts, the order the job claims them in: the database's
         * order of uuids, which is that of their text (Java's compares signed halves).
         */
        Comparator<UUID> byAccount() {
            return Comparator.comparing(member -> wallets.get(member).accountId().toString());
        }
    }

    record LotPlace(UUID accountId, @Nullable Instant expiresAt) {
    }

    private State state(Group group) {
        return points.read(group, sql -> {
            var lots = new HashMap<UUID, Long>();
            var places = new HashMap<UUID, LotPlace>();
            sql.sql("select lot_id, account_id, expires_at, remaining from lots").query(rs -> {
                var lot = rs.getObject("lot_id", UUID.class);
                var expiresAt = rs.getObject("expires_at", OffsetDateTime.class);
                lots.put(lot, rs.getLong("remaining"));
                places.put(lot, new LotPlace(rs.getObject("account_id", UUID.class),
                    expiresAt == null ? null : expiresAt.toInstant()));
            });
            var wallets = new HashMap<UUID, Wallet>();
            sql.sql("select membership_id, account_id, program_id, balance from accounts where kind = 'WALLET'")
                .query(rs -> {
                    wallets.put(rs.getObject("membership_id", UUID.class), new Wallet(rs.getObject("account_id",
                        UUID.class), rs.getObject("program_id", UUID.class), rs.getLong("balance")));
                });
            var breakage = new HashMap<UUID, UUID>();
            sql.sql("select program_id, account_id from accounts where kind = 'BREAKAGE'").query(rs -> {
                breakage.put(rs.getObject("program_id", UUID.class), rs.getObject("account_id", UUID.class));
            });
            return new State(lots, wallets, breakage, places);
        });
    }

    private List<Entry> expiryEntries(Group group) {
        return points.read(group, sql -> {
            var postings = sql.sql("""
                    select p.entry_id, p.line_no, p.account_id, p.program_id, p.amount from postings p
                      join journal_entries e on e.tenant_id = p.tenant_id and e.entry_id = p.entry_id
                     where e.kind = 'EXPIRY' order by p.entry_id, p.line_no""")
                .query((rs, row) -> Map.entry(rs.getObject("entry_id", UUID.class), new Line(rs.getInt("line_no"),
                    rs.getObject("account_id", UUID.class), rs.getObject("program_id", UUID.class),
                    rs.getLong("amount"))))
                .list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
            var movements = new HashMap<UUID, Map<UUID, Long>>();
            sql.sql("""
                    select m.entry_id, m.lot_id, m.amount from lot_movements m
                      join journal_entries e on e.tenant_id = m.tenant_id and e.entry_id = m.entry_id
                     where e.kind = 'EXPIRY'""").query(rs -> {
                movements.computeIfAbsent(rs.getObject("entry_id", UUID.class), entry -> new HashMap<>())
                    .put(rs.getObject("lot_id", UUID.class), rs.getLong("amount"));
            });
            return sql.sql("""
                    select entry_id, reference, memo, actor, reverses_entry_id, created_at from journal_entries
                     where kind = 'EXPIRY'""")
                .query((rs, row) -> {
                    var entry = rs.getObject("entry_id", UUID.class);
                    return new Entry(entry, rs.getString("reference"), rs.getString("memo"), rs.getString("actor"),
                        rs.getObject("reverses_entry_id", UUID.class), rs.getObject("created_at", OffsetDateTime.class),
                        postings.getOrDefault(entry, List.of()), movements.getOrDefault(entry, Map.of()));
                })
                .list();
        });
    }
}
