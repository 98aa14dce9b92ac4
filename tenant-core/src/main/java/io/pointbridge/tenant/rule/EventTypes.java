package io.pointbridge.tenant.rule;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The events rules earn on: the platform's own (a purchase, a member's first order, an enrolment), those
 * integrations report (a completed profile, a referral, a review, an answered survey), and custom ones an
 * integration names itself with the prefix {@code custom.}, so that a misspelt built-in type is refused
 * rather than taken for a custom one.
 */
public final class EventTypes {

    public static final String PURCHASE = "purchase";
    public static final String FIRST_ORDER = "first-order";
    public static final String REGISTRATION = "registration";
    public static final String PROFILE_COMPLETED = "profile-completed";
    public static final String REFERRAL = "referral";
    public static final String REVIEW = "review";
    public static final String SURVEY_ANSWERED = "survey-answered";
    public static final String CUSTOM_PREFIX = "custom.";

    /** The built-in types, in the order the API documents them. */
    public static final List<String> BUILT_IN = List.of(PURCHASE, FIRST_ORDER, REGISTRATION, PROFILE_COMPLETED,
        REFERRAL, REVIEW, SURVEY_ANSWERED);

    /** What an unknown type is told. */
    public static final String RULE = "one of " + String.join(", ", BUILT_IN) + ", or custom.<name>";

    private static final Pattern CUSTOM = Pattern.compile("custom\\.[a-z0-9][a-z0-9-]{0,62}");
    private static final Set<String> PLATFORM_OWN = Set.of(PURCHASE, FIRST_ORDER, REGISTRATION);

    private EventTypes() {
    }

    /** Whether rules may name this type. */
    public static boolean isKnown(String type) {
        return BUILT_IN.contains(type) || CUSTOM.matcher(type).matches();
    }

    /** Whether integrations may report this type; purchases and enrolments have their own endpoints. */
    public static boolean isReportable(String type) {
        return isKnown(type) && !PLATFORM_OWN.contains(type);
    }

    /** Whether the type is a purchase's: only those have an amount, lines and a base rate. */
    public static boolean isPurchase(String type) {
        return PURCHASE.equals(type) || FIRST_ORDER.equals(type);
    }
}
