package io.pointbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.expiry.PointsJob;
import io.pointbridge.tenant.ledger.AccountKind;
import io.pointbridge.tenant.ledger.EntryKind;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Credit;
import io.pointbridge.tenant.ledger.Ledger.Debit;
import io.pointbridge.tenant.ledger.Ledger.Posted;
import io.pointbridge.tenant.ledger.Ledger.Shortfall;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A refund claws its points back from the purchase's own lot first, pending or not, then from the member's
 * other points; what the member has spent already follows the program's clawback policy, explicitly: reported
 * as not recovered (PARTIAL), or owed down to the debt limit and not a point further (NEGATIVE_ALLOWED), the
 * debt repaid by later credits before any of their points can be spent. The database enforces the limit.
 */
class ClawbackIntegrationTests extends PointsOverTimeIntegrationTest {

    private static final String ACTOR = "test:clawback";

    @Autowired
    Ledger ledger;

    @Test
    void aRefundTakesThePurchasesOwnPendingPointsFirst() {
        var group = fixtures.group();
        points.policy(group, group.cafe(), policy(14, ClawbackPolicy.PARTIAL, 0));
        var member = fixtures.memberWithBalance(group, 100);
        points.purchase(group, member, "order-1", 30_00);

        var refund = points.refund(group, member, "order-1", 30_00);

        assertThat(refund.pointsReversed()).isEqualTo(30);
        assertThat(refund.pointsNotRecovered()).isZero();
        assertThat(refund.pointsOwed()).isZero();
        var balance = points.balance(group, member);
        assertThat(balance.available()).isEqualTo(100);
        assertThat(balance.pending()).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void partialClawbackTakesWhatTheWalletHoldsAndReportsTheRestAsNotRecovered() {
        var group = fixtures.group();
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", 50_00);
        spend(group, member, 40);

        var refund = points.refund(group, member, "order-1", 50_00);

        assertThat(refund.pointsReversed()).isEqualTo(10);
        assertThat(refund.pointsNotRecovered()).isEqualTo(40);
        assertThat(refund.pointsOwed()).isZero();
        assertThat(refund.balanceAfter()).isZero();
        assertThat(points.balance(group, member).debt()).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aRefundTakesOtherPendingPointsBeforeLeavingADebt() {
        var group = fixtures.group();
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 100));
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", 50_00);
        spend(group, member, 50);
        points.policy(group, group.cafe(), policy(14, ClawbackPolicy.NEGATIVE_ALLOWED, 100));
        points.purchase(group, member, "order-2", 20_00);

        var refund = points.refund(group, member, "order-1", 50_00);

        assertThat(refund.pointsReversed()).isEqualTo(50);
        assertThat(refund.pointsOwed()).isEqualTo(30);
        assertThat(refund.balanceAfter()).isEqualTo(-30);
        var balance = points.balance(group, member);
        assertThat(balance.pending()).isZero();
        assertThat(balance.debt()).isEqualTo(30);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void negativeAllowedOwesDownToTheDebtLimitAndNotAPointFurther() {
        var group = fixtures.group();
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 100));
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", 80_00);
        points.purchase(group, member, "order-2", 70_00);
        spend(group, member, 150);

        var first = points.refund(group, member, "order-1", 80_00);
        var second = points.refund(group, member, "order-2", 70_00);

        assertThat(first.pointsOwed()).isEqualTo(80);
        assertThat(first.pointsNotRecovered()).isZero();
        assertThat(first.balanceAfter()).isEqualTo(-80);
        assertThat(second.pointsReversed()).isEqualTo(20);
        assertThat(second.pointsOwed()).isEqualTo(20);
        assertThat(second.pointsNotRecovered()).isEqualTo(50);
        assertThat(second.balanceAfter()).isEqualTo(-100);
        assertThat(points.balance(group, member).debt()).isEqualTo(100);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void creditsRepayADebtBeforeAnyOfTheirPointsCanBeSpent() {
        var group = fixtures.group();
        var member = memberOwing(group, 80);
        points.policy(group, group.cafe(), policy(14, ClawbackPolicy.NEGATIVE_ALLOWED, 100));

        points.purchase(group, member, "order-2", 50_00);
        var afterFirst = points.balance(group, member);
        points.purchase(group, member, "order-3", 100_00);
        var afterSecond = points.balance(group, member);
        clock.advance(Duration.ofDays(15));

        assertThat(afterFirst.balance()).isEqualTo(-30);
        assertThat(afterFirst.pending()).isZero();
        assertThat(afterFirst.debt()).isEqualTo(30);
        assertThat(afterSecond.debt()).isZero();
        assertThat(afterSecond.pending()).isEqualTo(70);
        assertThat(points.balance(group, member).available()).isEqualTo(70);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void anAdjustmentRepaysADebtFirstToo() {
        var group = fixtures.group();
        var member = memberOwing(group, 40);

        fixtures.credit(group, member, 100);

        var balance = points.balance(group, member);
        assertThat(balance.balance()).isEqualTo(60);
        assertThat(balance.available()).isEqualTo(60);
        assertThat(balance.debt()).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void reversingASpendWhileInDebtRepaysTheDebtFirst() {
        var group = fixtures.group();
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 100));
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", 50_00);
        var coffee = spend(group, member, 50);
        points.purchase(group, member, "order-2", 30_00);
        spend(group, member, 30);
        points.refund(group, member, "order-2", 30_00);

        var reversed = fixtures.as(group, () -> ledger.reverse(member.id(), coffee.entryId(), ACTOR, "wrong till"));

        assertThat(reversed.balanceAfter()).isEqualTo(20);
        var balance = points.balance(group, member);
        assertThat(balance.debt()).isZero();
        assertThat(balance.available()).isEqualTo(20);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void reversingACreditThatRepaidADebtOwesItAgain() {
        var group = fixtures.group();
        var member = memberOwing(group, 40);
        var goodwill = fixtures.as(group, () -> ledger.credit(new Credit(member.id(),
            100, EntryKind.ADJUSTMENT, AccountKind.ADJUSTMENT, null, "goodwill", ACTOR, null)));

        fixtures.as(group, () -> ledger.reverse(member.id(), goodwill.entryId(), ACTOR, "given twice"));

        var balance = points.balance(group, member);
        assertThat(balance.balance()).isEqualTo(-40);
        assertThat(balance.debt()).isEqualTo(40);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aMergeMovesADebtAndSettlesItFromTheSurvivorsPoints() {
        var group = fixtures.group();
        var absorbed = memberOwing(group, 40);
        var survivor = fixtures.memberWithBalance(group, 100);

        var moved = fixtures.as(group, () -> ledger.moveAll(absorbed.id(), survivor.id(), ACTOR, "merge:test", null));

        assertThat(moved.points()).isEqualTo(-40);
        assertThat(points.balance(group, absorbed).balance()).isZero();
        var balance = points.balance(group, survivor);
        assertThat(balance.balance()).isEqualTo(60);
        assertThat(balance.available()).isEqualTo(60);
        assertThat(balance.debt()).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void pointsMergedIntoAWalletInDebtRepayItFirst() {
        var group = fixtures.group();
        var survivor = memberOwing(group, 30);
        var absorbed = fixtures.memberWithBalance(group, 50);

        fixtures.as(group, () -> ledger.moveAll(absorbed.id(), survivor.id(), ACTOR, "merge:test", null));

        var balance = points.balance(group, survivor);
        assertThat(balance.balance()).isEqualTo(20);
        assertThat(balance.available()).isEqualTo(20);
        assertThat(balance.debt()).isZero();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void theDatabaseRefusesAWalletBelowWhatItsProgramAllows() throws SQLException {
        var group = fixtures.group();
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 100));
        var cafe = fixtures.member(group);
        var cinema = fixtures.member(group, group.cinema());

        assertThat(setBalance(group, cafe, -100)).as("down to the limit").isNull();
        assertThat(setBalance(group, cafe, -101)).as("a point further").isEqualTo("23514");
        assertThat(setBalance(group, cinema, -1)).as("a program without debt").isEqualTo("23514");
    }

    @Test
    void aDebtIncurredUnderAHigherLimitShrinksButCannotGrow() throws SQLException {
        var group = fixtures.group();
        var member = memberOwing(group, 80);
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 50));

        fixtures.credit(group, member, 10);
        var afterCredit = points.balance(group, member).balance();
        points.purchase(group, member, "order-2", 5_00);
        var refund = points.refund(group, member, "order-2", 5_00);

        assertThat(afterCredit).isEqualTo(-70);
        assertThat(refund.pointsOwed()).isZero();
        assertThat(refund.pointsNotRecovered()).isEqualTo(5);
        assertThat(refund.balanceAfter()).isEqualTo(-65);
        assertThat(setBalance(group, member, -66)).isEqualTo("23514");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void pointsOfAWalletInDebtStillExpireAfterTheLimitWasLowered() {
        var group = fixtures.group();
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 100));
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", 80_00);
        spend(group, member, 80);
        points.lot(group, member, clock.instant().plus(Duration.ofDays(1)), 20);
        clock.advance(Duration.ofDays(2));
        var refund = points.refund(group, member, "order-1", 80_00);
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.PARTIAL, 0));

        var run = jobs.run(PointsJob.POINTS_EXPIRY, group.tenantId(), ACTOR);

        assertThat(refund.pointsOwed()).as("expired points are left to breakage, not clawed back").isEqualTo(80);
        assertThat(run.totals().points()).isEqualTo(20);
        assertThat(points.balance(group, member).balance()).isEqualTo(-80);
        assertThat(points.breakage(group, group.cafe())).isEqualTo(20);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    /** A cafe member who owes the given points: earned, spent, then refunded, in a program allowing 100 of debt. */
    private Membership memberOwing(Group group, long owed) {
        points.policy(group, group.cafe(), policy(0, ClawbackPolicy.NEGATIVE_ALLOWED, 100));
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", owed * 100);
        spend(group, member, owed);
        var refund = points.refund(group, member, "order-1", owed * 100);
        assertThat(refund.pointsOwed()).isEqualTo(owed);
        return member;
    }

    private static PointsPolicy policy(int pendingDays, ClawbackPolicy clawback, long debtLimit) {
        return new PointsPolicy(pendingDays, clawback, debtLimit, Expiry.rolling(12), null);
    }

    private Posted spend(Group group, Membership member, long points) {
        return fixtures.as(group, () -> ledger.debit(new Debit(member.id(), points, EntryKind.SPEND,
            AccountKind.REDEMPTION, null, null, ACTOR, null, Shortfall.REFUSE)));
    }

    /**
     * Sets the member's wallet balance directly, as the runtime role, in a transaction rolled back afterwards;
     * returns the SQL state the database refused it with, or null if it accepted it.
     */
    private static String setBalance(Group group, Membership member, long balance) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsApp()) {
            connection.setAutoCommit(false);
            try (var tenant = connection.prepareStatement("select set_config('app.tenant_id', ?, true)");
                    var update = connection.prepareStatement(
                        "update accounts set balance = ? where membership_id = ? and kind = 'WALLET'")) {
                tenant.setString(1, group.tenantId().toString());
                tenant.execute();
                update.setLong(1, balance);
                update.setObject(2, member.id());
                assertThat(update.executeUpdate()).isEqualTo(1);
                return null;
            } catch (SQLException refused) {
                return refused.getSQLState();
            } finally {
                connection.rollback();
            }
        }
    }

}
