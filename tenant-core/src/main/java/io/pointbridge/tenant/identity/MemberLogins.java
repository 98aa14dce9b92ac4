package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.Caller.Login;
import io.pointbridge.tenant.DomainFailure;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.identity.IdentityFailures.MemberLoginAlreadyLinked;
import io.pointbridge.tenant.identity.IdentityFailures.MemberProfileClaimed;
import io.pointbridge.tenant.identity.IdentityFailures.MemberProfileNotFound;
import io.pointbridge.tenant.identity.IdentityFailures.MemberProfileNotFound.Reason;
import io.pointbridge.tenant.identity.IdentityFailures.PersonAlreadyLinked;
import io.pointbridge.tenant.identity.IdentityFailures.PersonNotFound;
import io.pointbridge.tenant.member.MemberNotFound;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which person of the tenant a member's sign-in is: the identity provider's user ({@code subject}, the {@code sub}
 * of their tokens) mapped to one person, one sign-in per person.
 *
 * <p>On the member's first self-service call the sign-in is linked only when all of these hold:
 * <ol>
 *   <li>the identity provider verified the email its token names ({@code email_verified});
 *   <li>exactly one person of the tenant, not merged into another and not erased, holds that email verified by a
 *       brand, found through the tenant's blind index (never by scanning values; another tenant's persons cannot
 *       match);
 *   <li>that person is not the member of another sign-in already.
 * </ol>
 * Otherwise the member is refused with the reason, and nothing is guessed. A tenant admin links a sign-in to a
 * person explicitly (a member whose email no brand verified) and unlinks it; an unlinked sign-in is not linked by
 * its email again until an admin links it. Every link and unlink is audited. A person merged into another after
 * the link leads to the survivor.
 */
@Service
public class MemberLogins {

    /** A subject as the identity provider issues it, and as the table keeps it. */
    public static final String SUBJECT = "[A-Za-z0-9-]{1,64}";
    public static final String BY_VERIFIED_EMAIL = "verified-email";
    public static final String BY_ADMIN = "admin";

    private static final Pattern SUBJECT_PATTERN = Pattern.compile(SUBJECT);

    private final JdbcClient jdbc;
    private final Persons persons;
    private final Contacts contacts;
    private final Memberships memberships;
    private final AuditTrail audit;
    private final Clock clock;

    MemberLogins(JdbcClient jdbc, Persons persons, Contacts contacts, Memberships memberships, AuditTrail audit,
            Clock clock) {
        this.jdbc = jdbc;
        this.persons = persons;
        this.contacts = contacts;
        this.memberships = memberships;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A sign-in and the person it is linked to; {@code personId} is null once an admin unlinked it.
     *
     * @param how how it was linked: {@code verified-email} (by the member's first call) or {@code admin}
     */
    public record MemberLogin(String subject, @Nullable UUID personId, String how, String linkedBy, Instant linkedAt,
            @Nullable String unlinkedBy, @Nullable Instant unlinkedAt) {
    }

    /** The member behind a sign-in: the live person, and how and when the sign-in was linked to it. */
    public record SignedIn(UUID personId, String how, Instant linkedAt) {
    }

    /** A link an admin made, and whether this call made it (linking twice keeps the first). */
    public record Linked(MemberLogin login, boolean created) {
    }

    /**
     * The member the caller's sign-in is, linking it by its verified email on the first call (see above); refused
     * with {@link MemberProfileNotFound} when no person can be told.
     */
    @Transactional
    public SignedIn signedIn(Caller caller) {
        var login = caller.login().filter(each -> SUBJECT_PATTERN.matcher(each.subject()).matches())
            .orElseThrow(() -> new MemberProfileNotFound(Reason.NO_SIGN_IN));
        var found = find(login.subject());
        if (found.isPresent()) {
            return signedIn(found.get());
        }
        var person = personByVerifiedEmail(login);
        int inserted = jdbc.sql("""
                insert into member_logins (tenant_id, subject, person_id, how, linked_by, linked_at)
                values (:tenant, :subject, :person, :how, :actor, :now) on conflict do nothing""")
            .param("tenant", TenantContext.require()).param("subject", login.subject()).param("person", person)
            .param("how", BY_VERIFIED_EMAIL).param("actor", caller.actor()).param("now", at(clock.instant()))
            .update();
        if (inserted == 1) {
            audit.record(new Change(caller.actor(), "member-login.linked", "user:" + login.subject(), null,
                snapshot(person, BY_VERIFIED_EMAIL), null));
        }
        // Not inserted: this sign-in's concurrent first call linked it, or another sign-in holds the person.
        return signedIn(find(login.subject()).orElseThrow(MemberProfileClaimed::new));
    }

    /** The live person the caller's sign-in is. */
    @Transactional
    public UUID personOf(Caller caller) {
        return signedIn(caller).personId();
    }

    /**
     * One of the member's own memberships: of their person, or of a person merged into it. Another person's
     * membership answers as an unknown one does.
     */
    @Transactional
    public Membership ownMembership(Caller caller, UUID memberId) {
        var person = personOf(caller);
        return memberships.find(memberId)
            .filter(member -> persons.live(member.personId()).equals(person))
            .orElseThrow(() -> new MemberNotFound(memberId.toString()));
    }

    /** Whether the membership is one of the member's own. */
    @Transactional
    public boolean owns(Caller caller, UUID memberId) {
        var person = personOf(caller);
        return memberships.find(memberId).map(member -> persons.live(member.personId()).equals(person)).orElse(false);
    }

    /**
     * Links the sign-in to the person on a tenant admin's decision, for the reason given: refused for a person merged
     * into another or erased, a sign-in linked to another person, a person another sign-in is linked to.
     */
    @Transactional
    public Linked link(String subject, UUID personId, String reason, String actor, @Nullable String requestId) {
        requireSubject(subject);
        var person = persons.find(personId).orElseThrow(() -> new PersonNotFound(personId));
        PersonMerges.requireLive(persons.lock(List.of(person.id())));
        persons.requireNotErased(personId);
        var existing = find(subject);
        if (existing.isPresent() && personId.equals(existing.get().personId())) {
            return new Linked(existing.get(), false);
        }
        if (existing.isPresent() && existing.get().personId() != null) {
            throw new MemberLoginAlreadyLinked(subject, existing.get().personId());
        }
        ofPerson(personId).ifPresent(other -> {
            throw new PersonAlreadyLinked(personId, other.subject());
        });
        var now = at(clock.instant());
        if (existing.isPresent()) {
            jdbc.sql("""
                    update member_logins set person_id = :person, how = :how, linked_by = :actor, linked_at = :now,
                                             unlinked_by = null, unlinked_at = null
                     where tenant_id = :tenant and subject = :subject""")
                .param("person", personId).param("how", BY_ADMIN).param("actor", actor).param("now", now)
                .param("tenant", TenantContext.require()).param("subject", subject)
                .update();
        } else {
            jdbc.sql("""
                    insert into member_logins (tenant_id, subject, person_id, how, linked_by, linked_at)
                    values (:tenant, :subject, :person, :how, :actor, :now)""")
                .param("tenant", TenantContext.require()).param("subject", subject).param("person", personId)
                .param("how", BY_ADMIN).param("actor", actor).param("now", now)
                .update();
        }
        var after = snapshot(personId, BY_ADMIN);
        after.put("reason", reason);
        audit.record(new Change(actor, "member-login.linked", "user:" + subject,
            existing.map(row -> (Object) Map.of("unlinked", true)).orElse(null), after, requestId));
        return new Linked(find(subject).orElseThrow(), true);
    }

    /**
     * Unlinks the sign-in on a tenant admin's decision: it then reaches no person, and is not linked by its email
     * again until an admin links it. Answers whether anything changed (unlinking again changes nothing).
     */
    @Transactional
    public boolean unlink(String subject, String actor, @Nullable String requestId) {
        requireSubject(subject);
        var existing = find(subject);
        if (existing.isPresent() && existing.get().personId() == null) {
            return false;
        }
        var now = at(clock.instant());
        if (existing.isPresent()) {
            jdbc.sql("""
                    update member_logins set person_id = null, unlinked_by = :actor, unlinked_at = :now
                     where tenant_id = :tenant and subject = :subject""")
                .param("actor", actor).param("now", now).param("tenant", TenantContext.require()).param("subject", subject)
                .update();
        } else {
            jdbc.sql("""
                    insert into member_logins (tenant_id, subject, person_id, how, linked_by, linked_at, unlinked_by,
                                               unlinked_at)
                    values (:tenant, :subject, null, :how, :actor, :now, :actor, :now)""")
                .param("tenant", TenantContext.require()).param("subject", subject).param("how", BY_ADMIN)
                .param("actor", actor).param("now", now)
                .update();
        }
        var before = existing.map(row -> (Object) snapshot(row.personId(), row.how())).orElse(null);
        audit.record(new Change(actor, "member-login.unlinked", "user:" + subject, before, Map.of("unlinked", true),
            requestId));
        return true;
    }

    /** The sign-ins of the tenant with this subject or linked to this person (at most a few: each is unique). */
    @Transactional(readOnly = true)
    public List<MemberLogin> list(Optional<String> subject, Optional<UUID> personId) {
        if (subject.isEmpty() && personId.isEmpty()) {
            throw new InvalidRequest("subject", "a subject or a personId must be given");
        }
        return jdbc.sql("""
                select * from member_logins
                 where tenant_id = :tenant and (cast(:subject as text) is null or subject = :subject)
                   and (cast(:person as uuid) is null or person_id = :person)
                 order by linked_at, subject""")
            .param("tenant", TenantContext.require()).param("subject", subject.orElse(null))
            .param("person", personId.orElse(null))
            .query(MemberLogins::login)
            .list();
    }

    /** Deletes the sign-ins linked to the person (its personal data is being erased); answers how many. */
    int removeAll(UUID personId) {
        return jdbc.sql("delete from member_logins where tenant_id = :tenant and person_id = :person")
            .param("tenant", TenantContext.require()).param("person", personId)
            .update();
    }

    private SignedIn signedIn(MemberLogin login) {
        if (login.personId() == null) {
            throw new MemberProfileNotFound(Reason.UNLINKED);
        }
        return new SignedIn(persons.live(login.personId()), login.how(), login.linkedAt());
    }

    /** The one live, unerased person holding the sign-in's verified email verified, locked; refused otherwise. */
    private UUID personByVerifiedEmail(Login login) {
        if (!login.emailVerified() || login.email() == null) {
            throw new MemberProfileNotFound(Reason.EMAIL_NOT_VERIFIED);
        }
        ContactPoint email;
        try {
            email = ContactPoint.email(login.email());
        } catch (DomainFailure notAnEmail) {
            throw new MemberProfileNotFound(Reason.NO_MATCH);
        }
        var holders = contacts.verifiedHolders(email);
        if (holders.size() != 1) {
            throw new MemberProfileNotFound(holders.isEmpty() ? Reason.NO_MATCH : Reason.AMBIGUOUS);
        }
        var person = holders.iterator().next();
        // Read again under the person's lock: a merge or an erasure that held it has committed by now.
        if (persons.lock(List.of(person)).getFirst().mergedInto() != null || persons.erasedAt(person).isPresent()) {
            throw new MemberProfileNotFound(Reason.NO_MATCH);
        }
        return person;
    }

    private Optional<MemberLogin> find(String subject) {
        return jdbc.sql("select * from member_logins where tenant_id = :tenant and subject = :subject")
            .param("tenant", TenantContext.require()).param("subject", subject)
            .query(MemberLogins::login)
            .optional();
    }

    private Optional<MemberLogin> ofPerson(UUID personId) {
        return jdbc.sql("select * from member_logins where tenant_id = :tenant and person_id = :person")
            .param("tenant", TenantContext.require()).param("person", personId)
            .query(MemberLogins::login)
            .optional();
    }

    private static void requireSubject(String subject) {
        if (!SUBJECT_PATTERN.matcher(subject).matches()) {
            throw new InvalidRequest("subject", "must be the member's user id in the identity provider: 1 to 64 letters, "
                + "digits or -");
        }
    }

    /** What an audit record keeps of a sign-in (its subject is the record's subject): the person and how, no email. */
    private static Map<String, Object> snapshot(@Nullable UUID personId, String how) {
        var snapshot = new LinkedHashMap<String, Object>();
        snapshot.put("personId", personId);
        snapshot.put("how", how);
        return snapshot;
    }

    private static MemberLogin login(ResultSet rs, int row) throws SQLException {
        var unlinkedAt = rs.getObject("unlinked_at", OffsetDateTime.class);
        return new MemberLogin(rs.getString("subject"), rs.getObject("person_id", UUID.class), rs.getString("how"),
            rs.getString("linked_by"), rs.getObject("linked_at", OffsetDateTime.class).toInstant(),
            rs.getString("unlinked_by"), unlinkedAt == null ? null : unlinkedAt.toInstant());
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
