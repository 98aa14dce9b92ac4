package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.DomainFailure;
import java.util.Locale;
import java.util.UUID;

/** The facts the identity feature refuses requests with. */
public final class IdentityFailures {

    private IdentityFailures() {
    }

    /** No such person in the caller's tenant (another tenant's person looks the same). */
    public static final class PersonNotFound extends DomainFailure {
        public PersonNotFound(UUID person) {
            super(404, "person-not-found", "Person not found", "No person " + person + " is visible to you.");
            with("personId", person);
        }
    }

    public static final class MergeIntoSelf extends DomainFailure {
        public MergeIntoSelf(UUID person) {
            super(422, "merge-into-self", "Merge into itself", "Person " + person + " cannot be merged into itself.");
            with("personId", person);
        }
    }

    /** A person merged before takes no part in another merge; merge into the person it was merged into. */
    public static final class PersonAlreadyMerged extends DomainFailure {
        public PersonAlreadyMerged(UUID person, UUID mergedInto) {
            super(409, "person-already-merged", "Person already merged",
                "Person " + person + " has been merged into person " + mergedInto + " already.");
            with("personId", person);
            with("mergedInto", mergedInto);
        }
    }

    /** The person's personal data was erased: it takes none anew (a returning customer enrolls afresh). */
    public static final class PersonErased extends DomainFailure {
        public PersonErased(UUID person) {
            super(410, "person-erased", "Person erased",
                "The personal data of person " + person + " was erased; it takes no new personal data.");
            with("personId", person);
        }
    }

    /**
     * The member's sign-in leads to no person of the tenant: the reason says why, and what the member can do.
     * Nothing about other persons is told (whether the email is held unverified, or by whom).
     */
    public static final class MemberProfileNotFound extends DomainFailure {

        /** Why no person was found. */
        public enum Reason {
            /** The token names no user, or one Pointbridge cannot keep. */
            NO_SIGN_IN("Your sign-in names no user; sign in again."),
            /** The identity provider has not verified the token's email (or the token names none). */
            EMAIL_NOT_VERIFIED("Your sign-in's email address is not verified; verify it, or ask support to link your "
                + "membership."),
            /** No person of the group holds the email, verified by a brand. */
            NO_MATCH("No membership of this group holds your verified email address; enroll with a brand using it, "
                + "or ask support to link your membership."),
            /** Several persons hold it: linking would be a guess. */
            AMBIGUOUS("Your verified email address belongs to more than one membership record; ask support to link "
                + "your membership."),
            /** A tenant admin unlinked the sign-in: only an admin links it again. */
            UNLINKED("Your sign-in has been unlinked from your membership; ask support to link it again.");

            private final String detail;

            Reason(String detail) {
                this.detail = detail;
            }
        }

        public MemberProfileNotFound(Reason reason) {
            super(404, "member-profile-not-found", "Member profile not found", reason.detail);
            with("reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }

    /** The person is the member of another sign-in already; one sign-in per person. */
    public static final class MemberProfileClaimed extends DomainFailure {
        public MemberProfileClaimed() {
            super(409, "member-profile-claimed", "Member profile claimed",
                "Your verified email address leads to a membership that another sign-in uses already; ask support.");
        }
    }

    /** An admin links a sign-in that is linked to another person already; unlink it first. */
    public static final class MemberLoginAlreadyLinked extends DomainFailure {
        public MemberLoginAlreadyLinked(String subject, UUID person) {
            super(409, "member-login-already-linked", "Sign-in already linked",
                "Sign-in " + subject + " is linked to person " + person + "; unlink it first.");
            with("subject", subject);
            with("personId", person);
        }
    }

    /** An admin links a person that another sign-in is linked to already; unlink that one first. */
    public static final class PersonAlreadyLinked extends DomainFailure {
        public PersonAlreadyLinked(UUID person, String subject) {
            super(409, "person-already-linked", "Person already linked",
                "Person " + person + " is linked to sign-in " + subject + "; unlink it first.");
            with("personId", person);
            with("subject", subject);
        }
    }
}
