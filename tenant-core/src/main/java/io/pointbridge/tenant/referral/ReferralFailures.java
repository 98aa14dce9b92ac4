package io.pointbridge.tenant.referral;

import io.pointbridge.tenant.DomainFailure;
import java.util.UUID;

/** The facts referrals are refused with. */
public final class ReferralFailures {

    private ReferralFailures() {
    }

    /** No referral code of the member's program reads so (another program's or tenant's codes look the same). */
    public static final class ReferralCodeNotFound extends DomainFailure {
        public ReferralCodeNotFound() {
            super(404, "referral-code-not-found", "Referral code not found",
                "No member of this program has this referral code.");
            with("field", "code");
        }
    }

    public static final class ReferralsNotOffered extends DomainFailure {
        public ReferralsNotOffered(UUID program) {
            super(422, "referrals-not-offered", "Referrals not offered",
                "Program " + program + " offers no referral rewards.");
        }
    }

    public static final class SelfReferral extends DomainFailure {
        public SelfReferral() {
            super(422, "self-referral", "Self-referral", "A member cannot name their own referral code.");
            with("field", "code");
        }
    }

    /** The referrer and referee are one person to the group: the same person, or one verified email or phone. */
    public static final class SameIdentityReferral extends DomainFailure {
        public SameIdentityReferral() {
            super(422, "same-identity-referral", "Same-identity referral",
                "The referral code belongs to the same person as this member.");
            with("field", "code");
        }
    }

    public static final class MutualReferral extends DomainFailure {
        public MutualReferral() {
            super(422, "mutual-referral", "Mutual referral",
                "This member referred the owner of the referral code already.");
            with("field", "code");
        }
    }

    public static final class AlreadyReferred extends DomainFailure {
        public AlreadyReferred(UUID referral) {
            super(409, "already-referred", "Already referred", "This member has named who referred them already.");
            with("referralId", referral);
        }
    }

    public static final class ReferralWindowClosed extends DomainFailure {
        public ReferralWindowClosed(String why) {
            super(422, "referral-window-closed", "Referral window closed",
                "It is too late to name a referrer: " + why + ".");
        }
    }

    public static final class ReferralTermsNotSet extends DomainFailure {
        public ReferralTermsNotSet(UUID program) {
            super(404, "referral-terms-not-set", "Referral terms not set",
                "Program " + program + " has no referral terms.");
        }
    }

    public static final class ReferralNotFound extends DomainFailure {
        public ReferralNotFound() {
            super(404, "referral-not-found", "Referral not found", "Nobody referred this member.");
        }
    }
}
