package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.DomainFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The facts earning rules, member events, dry runs and backtests are refused with. */
public final class RuleFailures {

    private RuleFailures() {
    }

    /** A CEL expression that does not parse, does not type-check, or is not a boolean; points at the first mistake. */
    public static final class InvalidRuleCondition extends DomainFailure {
        public InvalidRuleCondition(String field, List<ConditionError> errors) {
            super(400, "invalid-rule-condition", "Invalid rule condition",
                field + ": " + errors.getFirst().message() + " (line " + errors.getFirst().line() + ", column "
                    + errors.getFirst().column() + ")");
            with("field", field);
            with("line", errors.getFirst().line());
            with("column", errors.getFirst().column());
            with("errors", errors.stream().map(error -> error.asMap(field)).toList());
        }
    }

    /** One mistake in an expression; line and column count from 1. */
    public record ConditionError(String message, int line, int column) {
        Map<String, Object> asMap(String field) {
            var map = new LinkedHashMap<String, Object>();
            map.put("field", field);
            map.put("message", message);
            map.put("line", line);
            map.put("column", column);
            return map;
        }
    }

    /** Settings that contradict each other or another rule of the program, e.g. exclusive rules of equal priority. */
    public static final class ConflictingRuleSettings extends DomainFailure {
        public ConflictingRuleSettings(String field, String why, @Nullable UUID conflictingRule) {
            super(422, "conflicting-rule-settings", "Conflicting rule settings", field + ": " + why);
            with("field", field);
            if (conflictingRule != null) {
                with("conflictingRuleId", conflictingRule);
            }
            with("errors", List.of(Map.of("field", field, "message", why)));
        }
    }

    public static final class RuleNameTaken extends DomainFailure {
        public RuleNameTaken(String name, UUID rule) {
            super(409, "rule-name-taken", "Rule name taken", "This program already has a rule named '" + name + "'.");
            with("field", "name");
            with("conflictingRuleId", rule);
        }
    }

    public static final class RuleNotFound extends DomainFailure {
        public RuleNotFound(UUID rule) {
            super(404, "rule-not-found", "Rule not found",
                "No earning rule " + rule + " is visible to you in this program.");
        }
    }

    public static final class RuleRetired extends DomainFailure {
        public RuleRetired(UUID rule) {
            super(409, "rule-retired", "Rule retired",
                "Earning rule " + rule + " has been retired; create a new rule instead.");
        }
    }

    public static final class NoDraft extends DomainFailure {
        public NoDraft(UUID rule) {
            super(409, "no-draft", "No draft", "Earning rule " + rule + " has no draft to withdraw.");
        }
    }

    public static final class NothingToPublish extends DomainFailure {
        public NothingToPublish() {
            super(409, "nothing-to-publish", "Nothing to publish", "This program has no draft rules to publish.");
        }
    }

    /** The drafts changed since the caller reviewed them (e.g. in a backtest): review them again. */
    public static final class DraftChanged extends DomainFailure {
        public DraftChanged(String expected, String actual) {
            super(409, "draft-changed", "Draft changed",
                "The program's draft rules changed since fingerprint " + expected + "; they are now " + actual + ".");
            with("field", "draftFingerprint");
            with("draftFingerprint", actual);
        }
    }

    public static final class DuplicateEvent extends DomainFailure {
        public DuplicateEvent(String type, String reference) {
            super(409, "duplicate-event", "Duplicate event",
                "A " + type + " event with reference '" + reference + "' has already been recorded in this program.");
            with("field", "reference");
        }
    }

    public static final class BacktestTooLarge extends DomainFailure {
        public BacktestTooLarge(long events, long limit) {
            super(422, "backtest-too-large", "Backtest too large",
                "The period holds " + events + " events; a backtest replays at most " + limit
                    + ". Choose a shorter period.");
            with("field", "to");
            with("limit", limit);
        }
    }
}
