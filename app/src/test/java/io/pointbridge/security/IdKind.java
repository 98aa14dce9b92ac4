package io.pointbridge.security;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * The kinds of ids a call of the API names, in its path (named as the placeholders of {@code docs/permissions.md})
 * or in its query or body. A path placeholder without a kind here is a new kind of id that the tests going over
 * every endpoint cannot fill: {@link #ofPlaceholder} refuses it, so that such an endpoint fails them until the kind
 * is added here and to {@link Scenes}.
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
    GRANT_SUBJECT("subject"),
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

    private final String placeholder;

    IdKind(String placeholder) {
        this.placeholder = placeholder;
    }

    /** The kind a path placeholder names; a placeholder no kind has is refused. */
    public static IdKind ofPlaceholder(String name) {
        return Arrays.stream(values()).filter(kind -> name.equals(kind.placeholder)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("No id kind for the path placeholder {" + name + "}: add one to "
                + "IdKind, and teach Scenes to make such an object, so that the endpoints naming it can be called"));
    }

    /**
     * Whether a tenant owns ids of this kind: only those can be another tenant's. Jobs are the same everywhere;
     * a grant's subject names a user of the identity provider, whom any tenant may grant its own brands.
     */
    public boolean tenantOwned() {
        return this != JOB && this != GRANT_SUBJECT;
    }

    /** An id of this kind that names nothing anywhere, in the form the API takes. */
    public String unknown() {
        return switch (this) {
            case ORDER -> "order-" + UUID.randomUUID();
            case GRANT_SUBJECT -> "nobody-" + UUID.randomUUID().toString().substring(0, 8);
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
