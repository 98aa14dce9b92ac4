package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.DomainFailure;
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
}
