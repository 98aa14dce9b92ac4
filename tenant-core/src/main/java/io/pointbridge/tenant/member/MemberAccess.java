package io.pointbridge.tenant.member;

import io.pointbridge.tenant.Caller;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Finds a member the caller may act on: a brand-scoped caller sees only its own brand's members. */
@Component
public class MemberAccess {

    private final Memberships memberships;

    MemberAccess(Memberships memberships) {
        this.memberships = memberships;
    }

    public Membership require(Caller caller, UUID memberId) {
        return memberships.find(memberId)
            .filter(member -> caller.mayActOnBrand(member.brandId()))
            .orElseThrow(() -> new MemberNotFound(memberId.toString()));
    }
}
