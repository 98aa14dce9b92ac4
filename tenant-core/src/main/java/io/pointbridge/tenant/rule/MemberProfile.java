package io.pointbridge.tenant.rule;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What rule conditions know about a member: {@code member.tier} and {@code member.tags}. Programs have no
 * tiers or tags yet, so today every member has no tier and no tags; dry runs may give both.
 *
 * @param memberId   the membership, or null for a hypothetical member in a dry run
 * @param tier       the member's tier code, null for none
 * @param enrolledAt when the member joined, null if unknown (a hypothetical member)
 */
public record MemberProfile(@Nullable UUID memberId, @Nullable String tier, Set<String> tags,
        @Nullable Instant enrolledAt) {

    public MemberProfile {
        tags = Set.copyOf(tags);
    }
}
