package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.Caller.Role;

/**
 * How much of a person's personal data a caller sees. This is the one place that decides it: tenant admins and
 * brand integrations (which collect the data and serve the customer) see it in full; every other role that may
 * read persons at all, support agents first, sees it masked. When roles gain finer capabilities, change
 * {@link #of(Caller)} and nothing else.
 */
public enum PersonalDataVisibility {
    FULL, MASKED;

    public static PersonalDataVisibility of(Caller caller) {
        return caller.has(Role.TENANT_ADMIN) || caller.has(Role.INTEGRATION) ? FULL : MASKED;
    }
}
