package io.pointbridge.security;

import io.pointbridge.security.PermissionMatrix.Endpoint;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The kinds of ids a call of the API names, in its path (named as the placeholders of {@code docs/permissions.md})
 * or in its query or body. A path placeholder without a kind here is a new kind of id that the tests going over
 * every endpoint cannot fill: {@link #ofPlaceholder} refuses it, so that such an endpoint fails them until the kind
 * is added here and to {@link Scenes}. A placeholder name that means different kinds on different paths
 * ({@code {subject}}: a brand manager's, a member's sign-in) names each kind only under its own path.
 */
public enum IdKind {

    TENANT("tenantId"),
    BRAND("brandId"),
    PROGRAM("programId"),
    MEMBER("memberId"),
    PERSON("personId"),
    KEY("keyId"),
    ENTRY("entryId"),
    ORDER("orderId"),
    /** A brand manager's user id in the identity provider, which the tenant's brand grants name. */
    GRANT_SUBJECT("subject", "/api/v1/brand-grants/"),
    /**
     * A member's user id in the identity provider (the {@code sub} of their tokens, not a UUID to the API), which the
     * tenant's member sign-ins name: one linked to a person of the tenant.
     */
    LOGIN_SUBJECT("subject", "/api/v1/member-logins/"),
    RATE("rateId"),
    QUOTE("quoteId"),
    TRANSFER("transferId"),
    RULE("ruleId"),
    REWARD("rewardId"),
    REDEMPTION("redemptionId"),
    COUPON_CODE("code"),
    RUN("runId"),
    /** A points job by name: the same for every tenant, so not an id another tenant could own. */
    JOB("job"),

    /** The program of the group's second brand: a rate's target. */
    OTHER_PROGRAM(null),
    /** The member's person's membership in the second brand's program: a conversion's target. */
    OTHER_MEMBER(null),
    /** Another person of the group, merged into the member's person. */
    ABSORBED_PERSON(null),
    /** The member's external id, the integration's own customer id. */
    EXTERNAL_ID(null),
    /** The referral code of another member of the program, which the member names as who referred them. */
    REFERRAL_CODE(null);

    private static final String SYMBOLS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final @Nullable String placeholder;
    private final @Nullable String under;

    IdKind(@Nullable String placeholder) {
        this(placeholder, null);
    }

    /** A kind named by the placeholder only in paths that start with {@code under}. */
    IdKind(@Nullable String placeholder, @Nullable String under) {
        this.placeholder = placeholder;
        this.under = under;
    }

    /** The kind a placeholder of the endpoint's path names; a placeholder no kind has there is refused. */
    public static IdKind ofPlaceholder(Endpoint endpoint, String name) {
        return Arrays.stream(values())
            .filter(kind -> name.equals(kind.placeholder))
            .filter(kind -> kind.under == null || endpoint.path().startsWith(kind.under))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No id kind for the path placeholder {" + name + "} of "
                + endpoint + ": add one to IdKind, and teach Scenes to make such an object, so that the endpoints "
                + "naming it can be called"));
    }

    /** The kinds the endpoint's path names, in order. */
    public static List<IdKind> inPath(Endpoint endpoint) {
        return endpoint.placeholders().stream().map(name -> ofPlaceholder(endpoint, name)).toList();
    }

    /**
     * Whether a tenant owns ids of this kind: only those can be another tenant's. Jobs are the same everywhere;
     * a grant's subject names a user of the identity provider, whom any tenant may grant its own brands.
     */
    public boolean tenantOwned() {
        return this != JOB && this != GRANT_SUBJECT;
    }

    /**
     * Whether the API takes any well-formed id of this kind, so that another tenant's must be answered exactly as one
     * that names nothing, which may be accepted, rather than refused. A sign-in's subject is the identity provider's
     * user id: a tenant admin names it to act on their own tenant's record of that sign-in, which for another
     * tenant's sign-in is one never seen (unlinking it answers 204, as for any sign-in never linked); the other
     * tenant's sign-in must stay as it is, and be neither shown nor told apart.
     */
    public boolean answeredAsUnknown() {
        return this == LOGIN_SUBJECT;
    }

    /** An id of this kind that names nothing anywhere, in the form the API takes. */
    public String unknown() {
        return switch (this) {
            case ORDER -> "order-" + UUID.randomUUID();
            case GRANT_SUBJECT -> "nobody-" + UUID.randomUUID().toString().substring(0, 8);
            case LOGIN_SUBJECT -> UUID.randomUUID().toString();
            case EXTERNAL_ID -> "customer-" + UUID.randomUUID();
            case COUPON_CODE -> symbols(4) + "-" + symbols(4) + "-" + symbols(4) + "-" + symbols(4);
            case REFERRAL_CODE -> symbols(4) + "-" + symbols(4);
            case JOB -> throw new IllegalStateException("every tenant has the same jobs");
            default -> UUID.randomUUID().toString();
        };
    }

    private static String symbols(int count) {
        var symbols = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            symbols.append(SYMBOLS.charAt(RANDOM.nextInt(SYMBOLS.length())));
        }
        return symbols.toString();
    }
}
