package io.pointbridge.tenant.privacy;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.identity.Identities;
import io.pointbridge.tenant.identity.Identities.ConsentHistory;
import io.pointbridge.tenant.identity.MemberLogins;
import io.pointbridge.tenant.identity.MemberLogins.MemberLogin;
import io.pointbridge.tenant.identity.PersonProfiles;
import io.pointbridge.tenant.identity.PersonProfiles.ProfileView;
import io.pointbridge.tenant.identity.Persons;
import io.pointbridge.tenant.identity.Persons.MembershipBalance;
import io.pointbridge.tenant.ledger.HistoryLine;
import io.pointbridge.tenant.ledger.WalletBalance;
import io.pointbridge.tenant.ledger.Wallets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's data export (right of access and portability): everything the tenant holds about the person, in
 * one machine-readable document from one consistent snapshot. It covers the persons merged into this one too,
 * since they are the same human. Every export is recorded in the audit trail.
 */
@Service
public class PersonExports {

    /** The export's format name and version, for whoever reads it later. */
    public static final String FORMAT = "pointbridge.person-export/1";

    private final Persons persons;
    private final PersonProfiles personalData;
    private final Identities identities;
    private final MemberLogins logins;
    private final Wallets wallets;
    private final AuditTrail audit;
    private final Clock clock;

    PersonExports(Persons persons, PersonProfiles personalData, Identities identities, MemberLogins logins,
            Wallets wallets, AuditTrail audit, Clock clock) {
        this.persons = persons;
        this.personalData = personalData;
        this.identities = identities;
        this.logins = logins;
        this.wallets = wallets;
        this.audit = audit;
        this.clock = clock;
    }

    /** The export: the person, and the persons merged into it, each with all it holds. */
    public record PersonExport(String format, Instant exportedAt, PersonRecord person, List<PersonRecord> mergedPersons) {
        @Override
        public String toString() {
            return "PersonExport[person=" + person.personId() + ", <personal data>]";
        }
    }

    /**
     * One person: personal data decrypted, memberships with balance and full ledger history, consents, and the
     * member's sign-in linked to the person.
     *
     * @param erasedAt when the person's personal data was erased, if it was
     */
    public record PersonRecord(UUID personId, Instant createdAt, @Nullable Instant erasedAt, ProfileView profile,
            List<MembershipRecord> memberships, ConsentHistory consents, List<MemberLogin> signIns) {
    }

    /** One membership, its points now and every movement of them, newest first. */
    public record MembershipRecord(UUID memberId, String externalId, UUID brandId, String brandName, UUID programId,
            String programName, String pointsName, Instant enrolledAt, @Nullable UUID mergedInto, WalletBalance balance,
            List<HistoryLine> history) {
    }

    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public PersonExport export(UUID personId, String actor, @Nullable String requestId) {
        var person = persons.live(personId);
        var merged = persons.mergedInto(person).stream().map(this::record).toList();
        var export = new PersonExport(FORMAT, clock.instant(), record(person), merged);
        audit.record(new Change(actor, "person.exported", "person:" + person, null,
            Map.of("mergedPersons", merged.stream().map(PersonRecord::personId).toList(),
                "memberships", export.person().memberships().size()), requestId));
        return export;
    }

    private PersonRecord record(UUID person) {
        var view = persons.view(person);
        var memberships = view.memberships().stream().map(this::membership).toList();
        return new PersonRecord(person, view.createdAt(), persons.erasedAt(person).orElse(null), personalData.full(person),
            memberships, identities.consentsOfPerson(person), logins.list(Optional.empty(), Optional.of(person)));
    }

    private MembershipRecord membership(MembershipBalance membership) {
        var history = new ArrayList<HistoryLine>();
        String cursor = null;
        do {
            var page = wallets.history(membership.memberId(), cursor, Wallets.MAX_PAGE_SIZE);
            history.addAll(page.items());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return new MembershipRecord(membership.memberId(), membership.externalId(), membership.brandId(),
            membership.brandName(), membership.programId(), membership.programName(), membership.pointsName(),
            membership.enrolledAt(), membership.mergedInto(), wallets.balance(membership.memberId()), List.copyOf(history));
    }
}
