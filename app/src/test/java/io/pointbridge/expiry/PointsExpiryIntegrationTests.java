package io.pointbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.pointbridge.tenant.expiry.JobRun;
import io.pointbridge.tenant.expiry.PointsExpired;
import io.pointbridge.tenant.expiry.PointsJob;
import io.pointbridge.tenant.expiry.RunOptions;
import io.pointbridge.tenant.expiry.RunTotals;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.ledger.LedgerFailures.EntryNotReversible;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.testing.Fixtures.Group;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expired points go to breakage exactly once, by one entry per wallet and run, whatever runs alongside or
 * crashes: a second instance, a member spending, a run killed halfway. The ledger's invariants hold after
 * every run.
 */
class PointsExpiryIntegrationTests extends PointsOverTimeIntegrationTest {

    private static final String ACTOR = "test:expiry";

    @Autowired
    MeterRegistry registry;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void movesWhatRemainsOfExpiredLotsToBreakageWithOneEntryPerWallet() {
        var group = fixtures.group();
        var soon = clock.instant().plus(Duration.ofDays(10));
        var member = points.memberWithLotsExpiringAt(group, soon, 30, 20);
        var other = points.memberWithLotsExpiringAt(group, soon.plus(Duration.ofDays(400)), 50);
        spend(group, member, 10);
        clock.advance(Duration.ofDays(11));
        double counted = expiredCounter();

        var run = jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        assertThat(run.totals().wallets()).isEqualTo(1);
        assertThat(run.totals().lots()).isEqualTo(2);
        assertThat(run.totals().points()).isEqualTo(40);
        assertThat(points.balance(group, member).balance()).isZero();
        assertThat(points.balance(group, member).expired()).isZero();
        assertThat(points.balance(group, other).available()).isEqualTo(50);
        assertThat(points.breakage(group, group.cafe())).isEqualTo(40);
        assertThat(points.entries(group, EntryKind.EXPIRY)).isEqualTo(1);
        var events = points.events(group, PointsExpired.TYPE);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().path("memberId").asString()).isEqualTo(member.id().toString());
        assertThat(events.getFirst().path("points").asLong()).isEqualTo(40);
        assertThat(expiredCounter() - counted).isEqualTo(40);
        assertThat(fixtures.violations(group)).isEmpty();
        assertThat(fixtures.as(group, () -> jobs.find(run.runId())).status()).isEqualTo(JobRun.Status.SUCCEEDED);
    }

    @Test
    void prometheusSeesExpiredPointsAndEachJobsProgress() {
        var group = fixtures.group();
        points.memberWithLotsExpiringAt(group, clock.instant().plus(Duration.ofDays(1)), 12);
        clock.advance(Duration.ofDays(2));
        jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        var scrape = api.with("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString("prometheus:metrics-dev".getBytes(StandardCharsets.UTF_8))).get("/actuator/prometheus");

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("pointbridge_points_expired_total ",
            "pointbridge_jobs_runs_total{outcome=\"succeeded\",points_job=\"points-expiry\"} ",
            "pointbridge_jobs_lots_total{points_job=\"points-expiry\"} ",
            "pointbridge_jobs_last_success_seconds{points_job=\"points-expiry\"} ",
            "pointbridge_jobs_active_seconds_max{points_job=\"points-expiry\"} ");
    }

    @Test
    void aSecondRunFindsNothingLeftToExpire() {
        var group = fixtures.group();
        points.memberWithLotsExpiringAt(group, clock.instant().plus(Duration.ofDays(1)), 25);
        clock.advance(Duration.ofDays(2));
        jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        var again = jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        assertThat(again.totals()).isEqualTo(RunTotals.NONE);
        assertThat(again.runId()).as("a scheduled run that found nothing leaves no record").isNull();
        assertThat(points.breakage(group, group.cafe())).isEqualTo(25);
        assertThat(points.entries(group, EntryKind.EXPIRY)).isEqualTo(1);
    }

    @Test
    void expiresPurchasePointsOnTheProgramsFixedDate() {
        var group = fixtures.group();
        var nextNewYear = clock.instant().atZone(ZoneOffset.UTC).toLocalDate().plusYears(1).withDayOfYear(1)
            .atStartOfDay(ZoneOffset.UTC).toInstant();
        points.policy(group, group.cafe(), new PointsPolicy(0, ClawbackPolicy.PARTIAL, 0,
            Expiry.fixedDates(List.of("12-31"), 0, "UTC"), null));
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", 42_00);
        assertThat(points.balance(group, member).nextExpiry().at()).isEqualTo(nextNewYear);

        clock.advance(Duration.between(clock.instant(), nextNewYear).plusSeconds(1));
        jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        assertThat(points.balance(group, member).balance()).isZero();
        assertThat(points.breakage(group, group.cafe())).isEqualTo(42);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void twoInstancesAtOnceExpireEveryLotExactlyOnce() {
        var group = fixtures.group();
        var expiresAt = clock.instant().plus(Duration.ofDays(1));
        var members = new ArrayList<Membership>();
        for (int i = 0; i < 30; i++) {
            members.add(points.memberWithLotsExpiringAt(group, expiresAt, 10 + i, 5));
        }
        var keeper = points.memberWithLotsExpiringAt(group, expiresAt.plus(Duration.ofDays(30)), 70);
        clock.advance(Duration.ofDays(2));

        var runs = Concurrently.twice(meet -> jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR,
            RunOptions.batchesOf(5).afterEachItem(meet)));

        long expired = members.size() * 5L + (10 + 39) * 30 / 2;
        assertThat(runs).as("each instance expired some wallets while the other held its own")
            .allSatisfy(run -> assertThat(run.totals().wallets()).isPositive());
        assertThat(runs.stream().mapToLong(run -> run.totals().points()).sum()).isEqualTo(expired);
        assertThat(runs.stream().mapToLong(run -> run.totals().wallets()).sum()).isEqualTo(members.size());
        assertThat(points.lotsExpiredTwice(group)).isEmpty();
        assertThat(points.entries(group, EntryKind.EXPIRY)).isEqualTo(members.size());
        assertThat(points.events(group, PointsExpired.TYPE)).hasSize(members.size());
        assertThat(points.breakage(group, group.cafe())).isEqualTo(expired);
        assertThat(members).allSatisfy(member -> assertThat(points.balance(group, member).balance()).isZero());
        assertThat(points.balance(group, keeper).available()).isEqualTo(70);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aRunKilledHalfwayResumesToTheResultOfAnUninterruptedRun() {
        var interrupted = fixtures.group();
        var uninterrupted = fixtures.group();
        var expiresAt = clock.instant().plus(Duration.ofDays(1));
        var crashing = history(interrupted, expiresAt);
        var steady = history(uninterrupted, expiresAt);
        clock.advance(Duration.ofDays(2));
        var items = new AtomicInteger();

        assertThatThrownBy(() -> jobs.run(PointsJob.POINTS_EXPIRY, interrupted.tenantId(), ACTOR,
            RunOptions.batchesOf(4).afterEachItem(() -> {
                if (items.incrementAndGet() == 7) {
                    throw new SimulatedCrash();
                }
            }))).isInstanceOf(SimulatedCrash.class);

        var halfway = points.breakage(interrupted, interrupted.cafe());
        var failed = fixtures.as(interrupted, () -> jobs.recent(1)).getFirst();
        assertThat(failed.status()).isEqualTo(JobRun.Status.FAILED);
        assertThat(failed.points()).as("the run's record counts exactly its committed batches").isEqualTo(halfway);
        assertThat(halfway).isPositive();
        assertThat(fixtures.violations(interrupted)).isEmpty();

        jobs.run(PointsJob.POINTS_EXPIRY, interrupted.tenantId(), ACTOR);
        jobs.run(PointsJob.POINTS_EXPIRY, uninterrupted.tenantId(), ACTOR);

        assertThat(points.snapshot(interrupted, crashing)).isEqualTo(points.snapshot(uninterrupted, steady));
        assertThat(points.breakage(interrupted, interrupted.cafe())).isGreaterThan(halfway);
        assertThat(points.lotsExpiredTwice(interrupted)).isEmpty();
        assertThat(fixtures.violations(interrupted)).isEmpty();
        assertThat(fixtures.violations(uninterrupted)).isEmpty();
    }

    @Test
    void leavesAWalletAMemberIsSpendingFromForTheNextRun() throws Exception {
        var group = fixtures.group();
        var expiresAt = clock.instant().plus(Duration.ofDays(1));
        var busy = points.memberWithLotsExpiringAt(group, expiresAt, 40);
        var idle = points.memberWithLotsExpiringAt(group, expiresAt, 60);
        clock.advance(Duration.ofDays(2));
        var held = new CountDownLatch(1);
        var done = new CountDownLatch(1);
        try (var spender = Executors.newSingleThreadExecutor()) {
            var holding = spender.submit(() -> fixtures.as(group, () -> new TransactionTemplate(transactionManager)
                .execute(status -> {
                    jdbc.sql("select 1 from accounts where membership_id = :member for update")
                        .param("member", busy.id()).query(Integer.class).single();
                    held.countDown();
                    await(done);
                    return null;
                })));
            await(held);

            var whileHeld = jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

            done.countDown();
            holding.get(30, TimeUnit.SECONDS);
            assertThat(whileHeld.totals().points()).isEqualTo(60);
        }
        assertThat(points.balance(group, busy).expired()).isEqualTo(40);

        var next = jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        assertThat(next.totals().points()).isEqualTo(40);
        assertThat(points.balance(group, idle).balance()).isZero();
        assertThat(points.breakage(group, group.cafe())).isEqualTo(100);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void refusesToReverseAnExpiryWhosePointsWouldExpireAgain() {
        var group = fixtures.group();
        var member = points.memberWithLotsExpiringAt(group, clock.instant().plus(Duration.ofDays(1)), 15);
        clock.advance(Duration.ofDays(2));
        jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);
        var entry = UUID.fromString(points.events(group, PointsExpired.TYPE).getFirst().path("entryId").asString());

        assertThatThrownBy(() -> fixtures.as(group, () -> ledger.reverse(member.id(), entry, ACTOR, "customer complained")))
            .isInstanceOf(EntryNotReversible.class);
        assertThat(points.breakage(group, group.cafe())).isEqualTo(15);
    }

    /**
     * Twelve members in a fixed shape: one to three lots expiring at the given time, some partly spent, half
     * with points that do not expire; the same shape in any group, so that two groups can be compared.
     */
    private List<Membership> history(Group group, Instant expiresAt) {
        var members = new ArrayList<Membership>();
        for (int i = 0; i < 12; i++) {
            var lots = new long[i % 3 + 1];
            Arrays.fill(lots, 10L * (i + 1));
            var member = points.memberWithLotsExpiringAt(group, expiresAt, lots);
            if (i % 2 == 0) {
                fixtures.credit(group, member, 7);
            }
            if (i % 4 == 1) {
                spend(group, member, 5);
            }
            members.add(member);
        }
        return members;
    }

    private void spend(Group group, Membership member, long points) {
        fixtures.as(group, () -> ledger.debit(new Debit(member.id(), points, EntryKind.SPEND, AccountKind.REDEMPTION,
            null, null, ACTOR, null, Shortfall.REFUSE)));
    }

    private double expiredCounter() {
        return registry.get("pointbridge.points.expired").counter().count();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a killed instance looks like to the run: its batch fails mid-way. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }
}
