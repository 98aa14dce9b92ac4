package io.pointbridge.tenant.rule;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What rules have given so far, by rule and member: campaign budgets spent and per-period cap usage. Live
 * earning reads and writes the database; a dry run only reads it; a backtest keeps its own in memory.
 */
interface Counters {

    /**
     * Called once per event, before any award, with the rules that may draw on their budget: live counters
     * lock those budgets here, always in rule id order, so that concurrent events never deadlock on them.
     */
    void prepareBudgets(List<UUID> ruleIds);

    /** Points the rule's budget has given so far. */
    long budgetSpent(UUID ruleId);

    /** What the member has had from the rule in the period starting on that day. */
    Usage usage(UUID ruleId, UUID memberId, LocalDate periodStart);

    /** Counts an award: against the rule's budget if it has one, and against the member's period if it is capped. */
    void award(RuleVersion version, UUID memberId, LocalDate periodStart, long points);

    /** Points and number of awards. */
    record Usage(long points, int times) {
        static final Usage NONE = new Usage(0, 0);

        Usage plus(long morePoints) {
            return new Usage(points + morePoints, times + 1);
        }
    }
}
