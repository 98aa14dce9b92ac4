package io.pointbridge.tenant.identity.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.identity.BlindIndex;
import io.pointbridge.tenant.identity.Consent;
import io.pointbridge.tenant.identity.Identities;
import io.pointbridge.tenant.identity.Identities.ConsentHistory;
import io.pointbridge.tenant.identity.Identities.ContactDetails;
import io.pointbridge.tenant.identity.PersonProfiles;
import io.pointbridge.tenant.identity.PersonProfiles.ProfileView;
import io.pointbridge.tenant.identity.Persons;
import io.pointbridge.tenant.identity.Persons.GroupBalances;
import io.pointbridge.tenant.member.MemberAccess;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A member's identity as its brand's integration handles it: contact points it verified, the member's
 * consent to linking, and the member's balances across the group.
 */
@RestController
@RequestMapping("/api/v1/members/{memberId}")
class MemberIdentityController {

    private final Identities identities;
    private final Persons persons;
    private final MemberAccess access;
    private final BlindIndex blindIndex;
    private final IdempotentRequests idempotent;
    private final PersonProfiles personalData;
    private final JsonMapper json;

    MemberIdentityController(Identities identities, Persons persons, MemberAccess access, BlindIndex blindIndex,
            IdempotentRequests idempotent, PersonProfiles personalData, JsonMapper json) {
        this.identities = identities;
        this.persons = persons;
        this.access = access;
        this.blindIndex = blindIndex;
        this.idempotent = idempotent;
        this.personalData = personalData;
        this.json = json;
    }

    /**
     * Contact points of the member; {@code emailVerified} / {@code phoneVerified} attest that the integration
     * verified them itself (e.g. by a one-time code), {@code consentToLink} that the member consents to
     * linking their memberships across the group.
     */
    record AddContacts(@Size(max = 254) String email, Boolean emailVerified, @Size(max = 32) String phone,
            Boolean phoneVerified, Boolean consentToLink) {

        @Override
        public String toString() {
            return "AddContacts[<personal data>]";
        }

        /** The request as its idempotency fingerprint sees it: contact points as their keyed hash only. */
        AddContacts blinded(ContactDetails details, BlindIndex index) {
            return new AddContacts(details.email() == null ? null : index.hex(details.email()), emailVerified,
                details.phone() == null ? null : index.hex(details.phone()), phoneVerified, consentToLink);
        }
    }

    /**
     * @param purpose      what the consent is for: {@code identity-linking}, or marketing by one channel:
     *                     {@code marketing-email}, {@code marketing-sms}, {@code marketing-push}, {@code marketing-wechat}
     * @param collectedVia where the person expressed it, e.g. {@code pos}, {@code signup-form}, {@code app-settings}
     */
    record RecordConsent(@NotNull @Pattern(regexp = Consent.PURPOSES, message = "must be one of " + Consent.PURPOSES) String purpose,
            @NotNull Boolean granted,
            @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._:/-]*", message = "must be letters, digits or . _ : / -") String collectedVia) {
    }

    @PostMapping("/contacts")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> addContacts(@PathVariable UUID memberId, @Valid @RequestBody AddContacts request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var details = ContactDetails.parse(request.email(), request.emailVerified(), request.phone(),
            request.phoneVerified(), request.consentToLink());
        if (details.email() == null && details.phone() == null) {
            throw new InvalidRequest("email", "an email or a phone must be given");
        }
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request.blinded(details, blindIndex), () -> {
            var member = access.require(caller, memberId);
            var added = identities.addContacts(member.id(), details, caller.actor(), AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key));
            return ResponseEntity.status(HttpStatus.CREATED).body(added);
        });
    }

    /** Records the member's consent given or withdrawn; withdrawing stops future links, it does not undo past ones. */
    @PostMapping("/consents")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> recordConsent(@PathVariable UUID memberId, @Valid @RequestBody RecordConsent request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var consent = identities.recordConsent(member.id(), request.purpose(), request.granted(), caller.actor(),
                request.collectedVia());
            return ResponseEntity.status(HttpStatus.CREATED).body(consent);
        });
    }

    /** The consents in force for the member's person, per purpose, and their whole history. */
    @GetMapping("/consents")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    ConsentHistory consents(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return identities.consents(access.require(caller, memberId).id());
    }

    /**
     * Replaces the name and birthday of the member's person (stored encrypted). The answer names the person and
     * echoes no personal data, since answers to writes are kept for replays.
     */
    @PutMapping("/profile")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> updateProfile(@PathVariable UUID memberId, @Valid @RequestBody ProfileRequest request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var profile = request.profile();
        var fingerprint = blindIndex.fingerprint(json.writeValueAsString(request));
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), fingerprint, () -> {
            var person = personalData.updateProfile(caller, memberId, profile,
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key));
            return ResponseEntity.ok(new ProfileUpdated(person));
        });
    }

    record ProfileUpdated(UUID personId) {
    }

    /** The member's person's personal data: masked for support agents, in full for the others who may read members. */
    @GetMapping("/profile")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    ProfileView profile(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return personalData.ofMember(caller, memberId);
    }

    /** The member's person's points in every program of the group; only this brand's memberships show their ids. */
    @GetMapping("/group-balances")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    GroupBalances groupBalances(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return persons.groupBalances(caller, memberId);
    }
}
