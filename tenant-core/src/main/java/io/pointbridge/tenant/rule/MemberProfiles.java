package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.member.Membership;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Finds what rule conditions know about a member. Tiers and tags come with later features (issue 5, part 3
 * onwards); until then a member has no tier and no tags, and this is the one place that changes.
 */
@Component
public class MemberProfiles {

    public MemberProfile of(Membership member) {
        return of(member.id(), member.enrolledAt());
    }

    public MemberProfile of(UUID memberId, Instant enrolledAt) {
        return new MemberProfile(memberId, null, Set.of(), enrolledAt);
    }
}
