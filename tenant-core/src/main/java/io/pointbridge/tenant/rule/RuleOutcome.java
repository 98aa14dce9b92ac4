package io.pointbridge.tenant.rule;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What one rule version did for one event, and why.
 *
 * @param points     the points it awarded (zero unless {@link Outcome#AWARDED})
 * @param reason     why it did not award points, or why it awarded fewer than it computed, in words
 * @param excludedBy the rule whose points excluded this one
 * @param cappedFrom the points it computed before its cap cut them down
 */
public record RuleOutcome(UUID ruleId, int version, String name, int priority, Outcome outcome, long points,
        @Nullable String reason, @Nullable UUID excludedBy, @Nullable Long cappedFrom) {

    public enum Outcome {
        /** The rule awarded points. */
        AWARDED,
        /** The event is outside the rule's campaign window. */
        NOT_EFFECTIVE,
        /** The rule's condition is false for this event and member. */
        CONDITION_FALSE,
        /** The rule's condition (or line filter) could not be evaluated, e.g. it reads an attribute the event lacks. */
        CONDITION_FAILED,
        /** The rule applies but computes no points (e.g. no line passes its filter). */
        NOTHING_TO_AWARD,
        /** An exclusive rule, or a rule of the same exclusion group, evaluated earlier awarded points. */
        EXCLUDED,
        /** The member has had the most this rule gives per period. */
        CAP_REACHED,
        /** The campaign budget has not enough points left for this award. */
        BUDGET_SPENT
    }

    public boolean awarded() {
        return outcome == Outcome.AWARDED;
    }
}
