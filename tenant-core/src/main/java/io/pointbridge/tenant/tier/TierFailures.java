package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.DomainFailure;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The facts tier schemes, qualifying activity and members' tiers are refused with. */
public final class TierFailures {

    private TierFailures() {
    }

    /** A field of a refused scheme and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    /** A tier scheme refused as a whole: nothing of it is saved; {@code errors} names each offending field. */
    public abstract static class SchemeRefused extends DomainFailure {
        SchemeRefused(String type, String title, List<FieldError> errors) {
            super(422, type, title, errors.stream().map(error -> error.field() + ": " + error.message())
                .reduce((a, b) -> a + "; " + b).orElse(title) + ".");
            with("errors", errors.stream().map(error -> Map.of("field", error.field(), "message", error.message())).toList());
        }
    }

    public static final class TierCountOutOfRange extends SchemeRefused {
        TierCountOutOfRange(int count) {
            super("tier-count-out-of-range", "Tier count out of range",
                List.of(new FieldError("levels", "a program has " + TierScheme.MIN_LEVELS + " to " + TierScheme.MAX_LEVELS
                    + " tiers, not " + count)));
        }
    }

    public static final class TierCodesNotUnique extends SchemeRefused {
        TierCodesNotUnique(List<FieldError> errors) {
            super("tier-codes-not-unique", "Tier codes not unique", errors);
        }
    }

    public static final class TierNamesNotUnique extends SchemeRefused {
        TierNamesNotUnique(List<FieldError> errors) {
            super("tier-names-not-unique", "Tier names not unique", errors);
        }
    }

    /** A qualification that is malformed, names an unknown counter, is missing, or is given to the entry tier. */
    public static final class TierQualificationInvalid extends SchemeRefused {
        public TierQualificationInvalid(String field, String message) {
            super("tier-qualification-invalid", "Tier qualification invalid", List.of(new FieldError(field, message)));
        }
    }

    /** A member could reach a tier without qualifying for the one below it. */
    public static final class TierThresholdsNotIncreasing extends SchemeRefused {
        TierThresholdsNotIncreasing(List<FieldError> errors) {
            super("tier-thresholds-not-increasing", "Tier thresholds not increasing", errors);
        }
    }

    /** A member who just reaches a tier would already qualify for the one above it. */
    public static final class TierThresholdsOverlap extends SchemeRefused {
        TierThresholdsOverlap(List<FieldError> errors) {
            super("tier-thresholds-overlap", "Tier thresholds overlap", errors);
        }
    }

    public static final class TierMultipliersDecreasing extends SchemeRefused {
        TierMultipliersDecreasing(List<FieldError> errors) {
            super("tier-multipliers-decreasing", "Tier multipliers decreasing", errors);
        }
    }

    public static final class TierWindowInvalid extends SchemeRefused {
        TierWindowInvalid(String field, String message) {
            super("tier-window-invalid", "Tier window invalid", List.of(new FieldError(field, message)));
        }
    }

    public static final class TiersNotConfigured extends DomainFailure {
        TiersNotConfigured(UUID programId) {
            super(404, "tiers-not-configured", "Tiers not configured", "Program " + programId + " has no tiers.");
        }
    }

    public static final class DuplicateActivity extends DomainFailure {
        DuplicateActivity(String reference, String counter) {
            super(409, "duplicate-activity", "Duplicate activity",
                "Activity '" + reference + "' has already counted toward " + counter + " in this program.");
            with("field", "reference");
        }
    }

    public static final class InvalidCursor extends DomainFailure {
        InvalidCursor() {
            super(400, "invalid-cursor", "Invalid cursor", "The cursor is not one this API handed out.");
            with("field", "cursor");
            with("errors", List.of(Map.of("field", "cursor", "message", "is not one this API handed out")));
        }
    }
}
