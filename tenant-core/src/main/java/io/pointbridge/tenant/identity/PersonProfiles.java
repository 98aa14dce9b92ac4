package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.identity.ContactPoint.Kind;
import io.pointbridge.tenant.identity.Contacts.ContactValue;
import io.pointbridge.tenant.member.MemberAccess;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's personal data, decrypted for callers that may see it: name, birthday, and the values of their
 * email addresses and phone numbers. Stored only sealed (see {@link io.pointbridge.tenant.crypto}); shown in
 * full to callers who see personal data ({@link Caller#seesPersonalData()}), masked to the others (support
 * agents). Writes record that the profile changed in the audit trail, never what it says.
 */
@Service
public class PersonProfiles {

    private final Persons persons;
    private final Profiles profiles;
    private final Contacts contacts;
    private final MemberAccess access;
    private final AuditTrail audit;
    private final Clock clock;

    PersonProfiles(Persons persons, Profiles profiles, Contacts contacts, MemberAccess access, AuditTrail audit, Clock clock) {
        this.persons = persons;
        this.profiles = profiles;
        this.contacts = contacts;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A person's personal data as a caller sees it.
     *
     * @param masked    whether values are masked for this caller (then {@code birthday} is left out)
     * @param updatedAt when name or birthday were last written; null if never
     */
    public record ProfileView(UUID personId, boolean masked, @Nullable String givenName, @Nullable String familyName,
            @Nullable LocalDate birthday, List<ContactView> contacts, @Nullable Instant updatedAt) {

        @Override
        public String toString() {
            return "ProfileView[personId=" + personId + ", masked=" + masked + ", <personal data>]";
        }
    }

    /** A contact point with its value; the value is null for contacts stored before values were kept. */
    public record ContactView(Kind kind, @Nullable String value, boolean verified, @Nullable Instant verifiedAt,
            Instant addedAt) {

        @Override
        public String toString() {
            return "ContactView[kind=" + kind + ", verified=" + verified + ", <value>]";
        }
    }

    /** The personal data of the person behind a member the caller may act on. */
    @Transactional(readOnly = true)
    public ProfileView ofMember(Caller caller, UUID memberId) {
        var person = persons.live(access.require(caller, memberId).personId());
        return view(person, !caller.seesPersonalData());
    }

    /** The personal data of a person of the caller's tenant (a merged person's survivor shows). */
    @Transactional(readOnly = true)
    public ProfileView ofPerson(Caller caller, UUID personId) {
        return view(persons.live(personId), !caller.seesPersonalData());
    }

    /** The person's personal data in full, for the person's own data export. */
    @Transactional(readOnly = true)
    public ProfileView full(UUID personId) {
        return view(personId, false);
    }

    /**
     * What a member reads of their own personal data: their name, and their contact points by kind and whether
     * verified, without the values (a sign-in linked by mistake then shows no one's email or phone).
     */
    public record OwnProfile(UUID personId, @Nullable String givenName, @Nullable String familyName,
            List<PersonContact> contacts) {

        @Override
        public String toString() {
            return "OwnProfile[personId=" + personId + ", <personal data>]";
        }
    }

    /** The member's own profile, of a live person. */
    @Transactional(readOnly = true)
    public OwnProfile own(UUID personId) {
        var profile = profiles.find(personId).map(Profiles.StoredProfile::profile).orElse(Profile.empty());
        return new OwnProfile(personId, profile.givenName(), profile.familyName(), contacts.of(personId));
    }

    /** Replaces the name and birthday of the person behind a member the caller may act on. */
    @Transactional
    public UUID updateProfile(Caller caller, UUID memberId, Profile profile, @Nullable String requestId) {
        var person = persons.live(access.require(caller, memberId).personId());
        persons.lock(List.of(person));
        persons.requireNotErased(person);
        var before = profiles.find(person).map(stored -> fieldsPresent(stored.profile())).orElse(null);
        profiles.put(person, profile, caller.actor(), clock.instant());
        audit.record(new Change(caller.actor(), "person.profile-updated", "person:" + person, before,
            fieldsPresent(profile), requestId));
        return person;
    }

    private ProfileView view(UUID person, boolean masked) {
        var stored = profiles.find(person);
        var profile = stored.map(Profiles.StoredProfile::profile).orElse(Profile.empty());
        var contactViews = contacts.values(person).stream()
            .map(contact -> contactView(contact, masked))
            .toList();
        return new ProfileView(person, masked,
            masked ? Masking.name(profile.givenName()) : profile.givenName(),
            masked ? Masking.name(profile.familyName()) : profile.familyName(),
            masked ? null : profile.birthday(), contactViews, stored.map(Profiles.StoredProfile::updatedAt).orElse(null));
    }

    private static ContactView contactView(ContactValue contact, boolean masked) {
        return new ContactView(contact.kind(), masked ? Masking.contact(contact.kind(), contact.value()) : contact.value(),
            contact.verifiedAt() != null, contact.verifiedAt(), contact.addedAt());
    }

    /** What an audit record keeps of a profile: which fields are filled, never their values. */
    private static List<String> fieldsPresent(Profile profile) {
        var fields = new ArrayList<String>();
        if (profile.givenName() != null) {
            fields.add("givenName");
        }
        if (profile.familyName() != null) {
            fields.add("familyName");
        }
        if (profile.birthday() != null) {
            fields.add("birthday");
        }
        return fields;
    }
}
