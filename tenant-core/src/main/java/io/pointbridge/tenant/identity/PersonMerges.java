package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.identity.IdentityFailures.MergeIntoSelf;
import io.pointbridge.tenant.identity.IdentityFailures.PersonAlreadyMerged;
import io.pointbridge.tenant.identity.Persons.MembershipBalance;
import io.pointbridge.tenant.identity.Persons.PersonRow;
import io.pointbridge.tenant.internal.TransactionMemo;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.member.Memberships;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Merges two persons of one tenant found to be the same human into one, the survivor.
 *
 * <p>Every membership of the absorbed person moves to the survivor. Where both hold a membership in the
 * same program, the absorbed membership's wallet is moved into the survivor's by one journal entry
 * ({@link Ledger#moveAll}: lot by lot, keeping each lot's expiry) and the membership stays with the
 * absorbed person, marked merged into the survivor's, so its external id, purchases and history still
 * resolve; postings addressed to it from then on go to the survivor's wallet. The absorbed person stays
 * too, marked merged into the survivor. The whole merge is one transaction and one audit record.
 */
@Service
public class PersonMerges {

    private final JdbcClient jdbc;
    private final Persons persons;
    private final Contacts contacts;
    private final Profiles profiles;
    private final Ledger ledger;
    private final AuditTrail audit;
    private final Clock clock;

    PersonMerges(JdbcClient jdbc, Persons persons, Contacts contacts, Profiles profiles, Ledger ledger, AuditTrail audit,
            Clock clock) {
        this.jdbc = jdbc;
        this.persons = persons;
        this.contacts = contacts;
        this.profiles = profiles;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /** A wallet moved into the survivor's wallet of the same program. */
    public record WalletMerged(UUID programId, UUID memberId, UUID mergedInto, long points, @Nullable UUID entryId) {
    }

    /** What a merge did: the memberships that moved to the survivor as they were, and the wallets merged. */
    public record Merged(UUID survivorId, UUID absorbedId, List<UUID> movedMemberships, List<WalletMerged> mergedWallets,
            UUID auditId) {
    }

    /** Merges {@code absorbedId} into {@code survivorId} on a tenant admin's decision, giving the reason. */
    @Transactional
    public Merged merge(UUID survivorId, UUID absorbedId, String reason, String actor, @Nullable String requestId) {
        if (survivorId.equals(absorbedId)) {
            throw new MergeIntoSelf(survivorId);
        }
        requireLive(persons.lock(List.of(survivorId, absorbedId)));
        persons.requireNotErased(survivorId);
        persons.requireNotErased(absorbedId);
        return absorb(survivorId, absorbedId, "person.merged", reason, actor, requestId);
    }

    /** Merges two live persons the caller has locked (through {@link Persons#lock}). */
    Merged absorb(UUID survivorId, UUID absorbedId, String action, String reason, String actor, @Nullable String requestId) {
        var before = Map.of("survivor", snapshot(survivorId), "absorbed", snapshot(absorbedId));
        var survivorByProgram = persons.memberships(survivorId).stream()
            .filter(membership -> membership.mergedInto() == null)
            .collect(Collectors.toMap(MembershipBalance::programId, Function.identity()));
        var moved = new ArrayList<UUID>();
        var merged = new ArrayList<WalletMerged>();
        for (var membership : persons.memberships(absorbedId)) {
            if (membership.mergedInto() != null) {
                continue;
            }
            var survivorMembership = survivorByProgram.get(membership.programId());
            if (survivorMembership == null) {
                update("update memberships set person_id = :to where tenant_id = :tenant and membership_id = :membership",
                    survivorId, membership.memberId());
                moved.add(membership.memberId());
                continue;
            }
            var into = survivorMembership.memberId();
            var result = ledger.moveAll(membership.memberId(), into, actor, "merge:" + absorbedId,
                "merged into member " + into + ": " + reason);
            // The membership, and any merged into it before, now point at the survivor's: one hop, always.
            update("""
                    update memberships set merged_into_membership_id = :to
                     where tenant_id = :tenant and (membership_id = :membership or merged_into_membership_id = :membership)""",
                into, membership.memberId());
            merged.add(new WalletMerged(membership.programId(), membership.memberId(), into, result.points(), result.entryId()));
        }
        contacts.moveAll(absorbedId, survivorId);
        profiles.moveIfAbsent(absorbedId, survivorId, actor, clock.instant());
        persons.markMerged(absorbedId, survivorId, clock.instant());
        var after = Map.of("survivor", snapshot(survivorId), "absorbed", snapshot(absorbedId), "reason", reason,
            "movedMemberships", moved, "mergedWallets", merged);
        var auditId = audit.record(new Change(actor, action, "person:" + absorbedId, before, after, requestId));
        return new Merged(survivorId, absorbedId, List.copyOf(moved), List.copyOf(merged), auditId);
    }

    static void requireLive(List<PersonRow> rows) {
        for (var row : rows) {
            if (row.mergedInto() != null) {
                throw new PersonAlreadyMerged(row.id(), row.mergedInto());
            }
        }
    }

    /** The state an audit record keeps: ids and points, no personal data (external ids can be emails). */
    private Map<String, Object> snapshot(UUID person) {
        var row = persons.find(person).orElseThrow();
        var memberships = persons.memberships(person).stream()
            .map(membership -> {
                var entry = new LinkedHashMap<String, Object>();
                entry.put("memberId", membership.memberId());
                entry.put("programId", membership.programId());
                entry.put("balance", membership.balance());
                if (membership.mergedInto() != null) {
                    entry.put("mergedInto", membership.mergedInto());
                }
                return entry;
            })
            .toList();
        var snapshot = new LinkedHashMap<String, Object>();
        snapshot.put("personId", person);
        if (row.mergedInto() != null) {
            snapshot.put("mergedInto", row.mergedInto());
        }
        snapshot.put("memberships", memberships);
        return snapshot;
    }

    private void update(String sql, UUID to, UUID membership) {
        TransactionMemo.forgetAll(Memberships.MEMO);
        jdbc.sql(sql).param("tenant", TenantContext.require()).param("to", to).param("membership", membership).update();
    }
}
