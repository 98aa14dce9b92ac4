package io.pointbridge.tenant.privacy;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.identity.Identities;
import io.pointbridge.tenant.member.Memberships;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erasure of a person's personal data (right to erasure) by pseudonymisation, in one transaction.
 *
 * <p>Deleted: the sealed name, birthday, emails and phones, and the blind indexes they were found by. Replaced
 * by pseudonyms: the brands' external ids of the person's memberships. Redacted: stored answers to earlier
 * writes that named the person or its members. Withdrawn: every consent still granted. Kept, untouched: the
 * person and membership ids, wallets, the whole journal and lots, purchases, audit records, so the ledger still
 * balances, every invariant holds and past entries stay auditable, while nothing left names the human.
 * Persons merged into the person are the same human and are erased with it. The erasure itself is recorded in
 * the audit trail, by counts and ids.
 *
 * <p>Deleting rather than crypto-shredding (a key per person, then deleting the key): both keys and data live in
 * the same database and backups here, so a per-person key would erase nothing more, while it would multiply keys.
 * Backups age out by their own retention.
 */
@Service
public class Erasures {

    private final Identities identities;
    private final Memberships memberships;
    private final IdempotentRequests idempotent;
    private final AuditTrail audit;
    private final Clock clock;

    Erasures(Identities identities, Memberships memberships, IdempotentRequests idempotent, AuditTrail audit, Clock clock) {
        this.identities = identities;
        this.memberships = memberships;
        this.idempotent = idempotent;
        this.audit = audit;
        this.clock = clock;
    }

    /** What an erasure did, by ids and counts. */
    public record Erased(UUID personId, List<UUID> erasedPersons, List<UUID> pseudonymisedMemberships,
            Map<String, Integer> contactsDeleted, int profilesDeleted, List<String> consentsWithdrawn,
            int storedAnswersRedacted, Instant erasedAt, UUID auditId) {
    }

    /**
     * Erases the live person's personal data, and that of the persons merged into it, for the reason given; refused
     * for a person merged into another (erase that one).
     */
    @Transactional
    public Erased erase(UUID personId, String reason, String actor, @Nullable String requestId) {
        var forgotten = identities.forget(personId, actor);
        var pseudonymised = memberships.pseudonymise(forgotten.persons());
        var mentions = new ArrayList<UUID>(forgotten.persons());
        mentions.addAll(pseudonymised);
        var redacted = idempotent.redactAnswersMentioning(mentions);
        var after = new LinkedHashMap<String, Object>();
        after.put("reason", reason);
        after.put("erasedPersons", forgotten.persons());
        after.put("pseudonymisedMemberships", pseudonymised);
        after.put("contactsDeleted", forgotten.contacts());
        after.put("profilesDeleted", forgotten.profiles());
        after.put("memberLoginsDeleted", forgotten.logins());
        after.put("consentsWithdrawn", forgotten.consentsWithdrawn());
        after.put("storedAnswersRedacted", redacted);
        var auditId = audit.record(new Change(actor, "person.erased", "person:" + personId, null, after, requestId));
        return new Erased(personId, forgotten.persons(), pseudonymised, forgotten.contacts(), forgotten.profiles(),
            forgotten.consentsWithdrawn(), redacted, clock.instant(), auditId);
    }
}
