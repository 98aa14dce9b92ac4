package io.pointbridge.tenant.member;

import io.pointbridge.tenant.DomainFailure;

/** No member with that reference is visible to the caller (another tenant's or brand's member looks the same). */
public final class MemberNotFound extends DomainFailure {
    public MemberNotFound(String reference) {
        super(404, "member-not-found", "Member not found", "No member " + reference + " is visible to you.");
    }
}
