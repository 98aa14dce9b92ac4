package io.pointbridge.tenant.identity;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A consent given ({@code granted}) or withdrawn, for one purpose, when, who recorded it ({@code source}: the
 * caller, e.g. {@code api-key:<id>}) and where the person expressed it ({@code collectedVia}, e.g. {@code pos},
 * {@code signup-form}, {@code app-settings}), if said.
 */
public record Consent(String purpose, boolean granted, String source, Instant recordedAt, @Nullable String collectedVia) {

    /** Consent to link the person's memberships in the group's brands into one identity. */
    public static final String IDENTITY_LINKING = "identity-linking";

    /** Marketing consent per channel: email, SMS, app push notifications, WeChat. */
    public static final List<String> MARKETING_CHANNELS =
        List.of("marketing-email", "marketing-sms", "marketing-push", "marketing-wechat");

    /** Every purpose a consent can be recorded for; the API refuses others. */
    public static final String PURPOSES = "identity-linking|marketing-email|marketing-sms|marketing-push|marketing-wechat";
}
