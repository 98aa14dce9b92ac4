package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Contact points and consent of persons, and the linking of memberships to the person they belong to.
 *
 * <p>A membership is linked to an existing person of the tenant, instead of a new one, only when all
 * of these hold:
 * <ol>
 *   <li>the integration attests that it verified the email or phone it sends ({@code verified}: it ran its
 *       own one-time code or link; Pointbridge trusts its API key holders for that);
 *   <li>exactly one other person, not merged into another, holds that contact verified, found through the
 *       tenant's blind index (never by scanning values; another tenant's persons cannot match);
 *   <li>the person in front of the integration consents to linking: in this request, or still in force
 *       from before;
 *   <li>the matched person has not withdrawn consent to linking;
 *   <li>the two hold no membership in the same program (joining two wallets is a tenant admin's merge).
 * </ol>
 * Otherwise a new enrolment gets a person of its own, and the contacts are only stored. Whether a link
 * happened is all the caller learns: never why not, so the API does not tell who else is a member.
 */
@Service
public class Identities {

    private final Memberships memberships;
    private final Persons persons;
    private final PersonMerges merges;
    private final Contacts contacts;
    private final Consents consents;
    private final Profiles profiles;
    private final MemberLogins logins;
    private final AuditTrail audit;
    private final JdbcClient jdbc;
    private final Clock clock;

    Identities(Memberships memberships, Persons persons, PersonMerges merges, Contacts contacts, Consents consents,
            Profiles profiles, MemberLogins logins, AuditTrail audit, JdbcClient jdbc, Clock clock) {
        this.memberships = memberships;
        this.persons = persons;
        this.merges = merges;
        this.contacts = contacts;
        this.consents = consents;
        this.profiles = profiles;
        this.logins = logins;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Contact points an integration sends for its customer, each with whether it verified them, and
     * whether the customer consents to linking their memberships across the group.
     */
    public record ContactDetails(@Nullable ContactPoint email, boolean emailVerified, @Nullable ContactPoint phone,
            boolean phoneVerified, boolean consentToLink) {

        public static ContactDetails none() {
            return new ContactDetails(null, false, null, false, false);
        }

        /** The details as a request gives them, normalised; a malformed email or phone is refused naming its field. */
        public static ContactDetails parse(@Nullable String email, @Nullable Boolean emailVerified, @Nullable String phone,
                @Nullable Boolean phoneVerified, @Nullable Boolean consentToLink) {
            return new ContactDetails(email == null ? null : ContactPoint.email(email), Boolean.TRUE.equals(emailVerified),
                phone == null ? null : ContactPoint.phone(phone), Boolean.TRUE.equals(phoneVerified),
                Boolean.TRUE.equals(consentToLink));
        }

        public boolean isEmpty() {
            return email == null && phone == null && !consentToLink;
        }

        Stream<ContactPoint> verified() {
            return Stream.concat(emailVerified && email != null ? Stream.of(email) : Stream.empty(),
                phoneVerified && phone != null ? Stream.of(phone) : Stream.empty());
        }
    }

    /** An enrolment: the membership, whether this call created it, and whether it was linked to an existing person. */
    public record Enrolled(Membership membership, boolean created, boolean linked) {
    }

    /** The person after contact points were added, whether they linked it to an existing person, and its contacts. */
    public record ContactsAdded(UUID personId, boolean linked, List<PersonContact> contacts) {
    }

    /**
     * Enrolls the integration's customer in a program with their contact points, linking the new
     * membership to an existing person if the rules above allow. Enrolling an external id that exists
     * returns its membership, and adds the contact points to its person as {@link #addContacts} does.
     * Without contact points or consent this is exactly {@link Memberships#enroll(UUID, String)}.
     */
    @Transactional
    public Enrolled enroll(UUID programId, String externalId, ContactDetails details, String actor,
            @Nullable String requestId) {
        if (details.isEmpty()) {
            var enrolment = memberships.enroll(programId, externalId);
            return new Enrolled(enrolment.membership(), enrolment.created(), false);
        }
        var existing = memberships.byExternalId(programId, externalId);
        if (existing.isPresent()) {
            return enrolledBefore(existing.get(), details, actor, requestId);
        }
        var target = details.consentToLink() ? linkTarget(Optional.empty(), List.of(programId), details) : Optional.<UUID>empty();
        var enrolment = memberships.enroll(programId, externalId, target.orElse(null));
        if (!enrolment.created()) {
            return enrolledBefore(enrolment.membership(), details, actor, requestId);
        }
        var membership = enrolment.membership();
        store(membership.personId(), details, actor);
        if (target.isPresent()) {
            var linked = new LinkedHashMap<String, Object>();
            linked.put("memberId", membership.id());
            linked.put("programId", membership.programId());
            linked.put("matchedBy", details.verified().map(ContactPoint::kind).toList());
            audit.record(new Change(actor, "membership.linked", "person:" + membership.personId(), null, linked, requestId));
        }
        return new Enrolled(membership, true, target.isPresent());
    }

    /**
     * Adds contact points to the person of a member (and records consent, if given); a verified one may
     * link that person to an existing one by the rules above: all the member's person's memberships then
     * move to the existing person, which the member now belongs to.
     */
    @Transactional
    public ContactsAdded addContacts(UUID memberId, ContactDetails details, String actor, @Nullable String requestId) {
        var member = memberships.require(memberId);
        var person = persons.live(member.personId());
        persons.requireNotErased(person);
        store(person, details, actor);
        var consented = consents.current(person, Consents.IDENTITY_LINKING).orElse(false);
        var target = consented ? linkTarget(Optional.of(person), programsOf(person), details) : Optional.<UUID>empty();
        if (target.isPresent()) {
            merges.absorb(target.get(), person, "person.linked", "verified " + details.verified()
                .map(contact -> contact.kind().name().toLowerCase(Locale.ROOT)).distinct().toList()
                + " matched, linking consented", actor, requestId);
            person = target.get();
        }
        return new ContactsAdded(person, target.isPresent(), contacts.of(person));
    }

    /**
     * Whether two memberships belong to one human as far as the group can tell: the same person (merges
     * followed), or two persons holding one email or phone, verified on both sides. Used to refuse what a
     * person may not do with themselves, such as referring themselves.
     */
    @Transactional(readOnly = true)
    public boolean sameIdentity(Membership one, Membership other) {
        var first = persons.live(one.personId());
        var second = persons.live(other.personId());
        return first.equals(second) || contacts.shareVerified(first, second);
    }

    /**
     * Records a consent given or withdrawn for the person of a member, and where the person expressed it; the
     * history is kept.
     */
    @Transactional
    public Consent recordConsent(UUID memberId, String purpose, boolean granted, String actor, @Nullable String collectedVia) {
        var person = persons.live(memberships.require(memberId).personId());
        return consents.record(person, purpose, granted, actor, collectedVia);
    }

    /**
     * What {@link #forget} removed: the persons, their contact points by kind, their profiles, the members' sign-ins
     * linked to them, the consents it withdrew.
     */
    public record Forgotten(List<UUID> persons, Map<String, Integer> contacts, int profiles, int logins,
            List<String> consentsWithdrawn) {
    }

    /**
     * Deletes the personal data of a live person and of the persons merged into it (the same human): contact
     * points with their blind indexes and sealed values, profiles, and the members' sign-ins linked to them (the
     * identity provider's user ids); withdraws every consent still granted; marks them erased. Persons, memberships and the ledger stay; the caller pseudonymises what else names them.
     */
    @Transactional
    public Forgotten forget(UUID personId, String actor) {
        var person = persons.find(personId).orElseThrow(() -> new IdentityFailures.PersonNotFound(personId));
        if (person.mergedInto() != null) {
            throw new IdentityFailures.PersonAlreadyMerged(personId, person.mergedInto());
        }
        // Merges into the person wait for its lock, so once it is held the persons merged into it are all known.
        PersonMerges.requireLive(persons.lock(List.of(personId)));
        persons.requireNotErased(personId);
        var all = Stream.concat(Stream.of(personId), persons.mergedInto(personId).stream()).toList();
        persons.lock(all);
        var removed = new TreeMap<String, Integer>();
        var withdrawn = new ArrayList<String>();
        int profiles = 0;
        int signIns = 0;
        for (var each : all) {
            contacts.removeAll(each).forEach((kind, count) -> removed.merge(kind.name(), count, Integer::sum));
            profiles += this.profiles.remove(each);
            signIns += logins.removeAll(each);
            consents.inForce(each).forEach((purpose, granted) -> {
                if (granted) {
                    consents.record(each, purpose, false, actor, "erasure");
                    withdrawn.add(purpose);
                }
            });
        }
        persons.markErased(all, clock.instant());
        return new Forgotten(all, removed, profiles, signIns, withdrawn.stream().distinct().sorted().toList());
    }

    /** A person's consents: the one in force per purpose, and every record, oldest first. */
    public record ConsentHistory(UUID personId, Map<String, Boolean> inForce, List<Consent> history) {
    }

    /** The consents of a person, as recorded for it (a survivor's do not include those of persons merged into it). */
    @Transactional(readOnly = true)
    public ConsentHistory consentsOfPerson(UUID personId) {
        persons.find(personId).orElseThrow(() -> new IdentityFailures.PersonNotFound(personId));
        return new ConsentHistory(personId, consents.inForce(personId), consents.history(personId));
    }

    /** The consents of the person of a member. */
    @Transactional(readOnly = true)
    public ConsentHistory consents(UUID memberId) {
        var person = persons.live(memberships.require(memberId).personId());
        return new ConsentHistory(person, consents.inForce(person), consents.history(person));
    }

    private Enrolled enrolledBefore(Membership membership, ContactDetails details, String actor, @Nullable String requestId) {
        var added = addContacts(membership.id(), details, actor, requestId);
        return new Enrolled(memberships.require(membership.id()), false, added.linked());
    }

    private void store(UUID person, ContactDetails details, String actor) {
        var now = clock.instant();
        if (details.email() != null) {
            contacts.add(person, details.email(), details.emailVerified() ? now : null, actor);
        }
        if (details.phone() != null) {
            contacts.add(person, details.phone(), details.phoneVerified() ? now : null, actor);
        }
        if (details.consentToLink()) {
            consents.record(person, Consents.IDENTITY_LINKING, true, actor);
        }
    }

    /**
     * The one existing person the verified contact points lead to, locked (with the requesting person,
     * if any, in the one lock order), if linking to it is allowed; consent of the requester is checked
     * by the caller.
     */
    private Optional<UUID> linkTarget(Optional<UUID> requester, List<UUID> requesterPrograms, ContactDetails details) {
        var candidates = new HashSet<UUID>();
        details.verified().forEach(contact -> candidates.addAll(contacts.verifiedHolders(contact)));
        requester.ifPresent(candidates::remove);
        if (candidates.size() != 1) {
            return Optional.empty();
        }
        var candidate = candidates.iterator().next();
        var locked = persons.lock(Stream.concat(Stream.of(candidate), requester.stream()).toList());
        if (locked.stream().anyMatch(row -> row.mergedInto() != null)) {
            return Optional.empty();
        }
        // Read after the lock: an erasure that held it has committed, and its person takes no new membership.
        if (persons.erasedAt(candidate).isPresent()) {
            return Optional.empty();
        }
        if (consents.current(candidate, Consents.IDENTITY_LINKING).equals(Optional.of(false))) {
            return Optional.empty();
        }
        if (programsOf(candidate).stream().anyMatch(requesterPrograms::contains)) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }

    private List<UUID> programsOf(UUID person) {
        return jdbc.sql("select program_id from memberships where tenant_id = :tenant and person_id = :person")
            .param("tenant", TenantContext.require()).param("person", person)
            .query(UUID.class)
            .list();
    }
}
