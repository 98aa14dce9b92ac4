package io.pointbridge.tenant;

import org.jspecify.annotations.Nullable;

/**
 * How personal data shows to a caller who must not see it in clear ({@link Caller#seesPersonalData()}):
 * masked, keeping the last few characters so that a support agent can match what a member reads out.
 */
public final class PersonalData {

    private static final String MASK = "•••";
    private static final int SHOWN = 3;

    private PersonalData() {
    }

    /** {@code cust-4242} becomes {@code •••242}; values of six characters or fewer are masked whole. */
    public static @Nullable String mask(@Nullable String value) {
        if (value == null) {
            return null;
        }
        return value.length() <= 2 * SHOWN ? MASK : MASK + value.substring(value.length() - SHOWN);
    }

    /** The value as the caller may see it. */
    public static @Nullable String shown(Caller caller, @Nullable String value) {
        return caller.seesPersonalData() ? value : mask(value);
    }
}
