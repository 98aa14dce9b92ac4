package io.pointbridge.tenant.member.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.PersonalData;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.identity.BlindIndex;
import io.pointbridge.tenant.identity.Identities;
import io.pointbridge.tenant.identity.Identities.ContactDetails;
import io.pointbridge.tenant.member.MemberAccess;
import io.pointbridge.tenant.member.MemberNotFound;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenantManagement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Enrolment of members by integrations (and tenant admins), and look-ups by id or external id within the caller's brands. */
@RestController
@RequestMapping("/api/v1/members")
class MembersController {

    static final String EXTERNAL_ID = "[\\p{Alnum}._:@+-]{1,128}";
    static final String EXTERNAL_ID_RULE = "1 to 128 letters, digits or . _ : @ + -";

    private final Memberships memberships;
    private final MemberAccess access;
    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;
    private final Identities identities;
    private final BlindIndex blindIndex;

    MembersController(Memberships memberships, MemberAccess access, TenantManagement tenancy, IdempotentRequests idempotent,
            Identities identities, BlindIndex blindIndex) {
        this.memberships = memberships;
        this.access = access;
        this.tenancy = tenancy;
        this.idempotent = idempotent;
        this.identities = identities;
        this.blindIndex = blindIndex;
    }

    /**
     * @param programId the program to join; may be left out when the caller's brand runs exactly one
     * @param externalId the integration's own customer id for this person
     * @param email the customer's email, optional; stored only as a keyed hash
     * @param emailVerified whether the integration verified the email itself (e.g. by a one-time code)
     * @param phone the customer's phone in international form (+ and country code), optional; stored only as a keyed hash
     * @param phoneVerified whether the integration verified the phone itself
     * @param consentToLink whether the customer consents to linking their memberships across the group's brands
     */
    record EnrollMember(UUID programId,
            @NotBlank @Pattern(regexp = EXTERNAL_ID, message = EXTERNAL_ID_RULE) String externalId,
            @Size(max = 254) String email, Boolean emailVerified, @Size(max = 32) String phone, Boolean phoneVerified,
            Boolean consentToLink) {

        ContactDetails contactDetails() {
            return ContactDetails.parse(email, emailVerified, phone, phoneVerified, consentToLink);
        }

        @Override
        public String toString() {
            return "EnrollMember[programId=" + programId + ", <personal data>]";
        }

        /** The request as its idempotency fingerprint sees it: contact points as their keyed hash only. */
        EnrollMember blinded(ContactDetails details, BlindIndex index) {
            return new EnrollMember(programId, externalId, details.email() == null ? null : index.hex(details.email()),
                emailVerified, details.phone() == null ? null : index.hex(details.phone()), phoneVerified, consentToLink);
        }
    }

    /**
     * A member as enrolled; {@code linked} (only when contact points or consent were sent) tells whether the
     * membership was linked to a person the group knew already, through a verified email or phone.
     */
    record EnrolledMember(@JsonUnwrapped Membership member, @Nullable Boolean linked) {
    }

    /**
     * Enrolls a member; enrolling the same external id again answers 200 with the existing member. With a
     * verified email or phone and the customer's consent, the membership joins the person who holds them
     * verified already (see {@link Identities}).
     */
    @PostMapping
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
    ResponseEntity<Object> enroll(@Valid @RequestBody EnrollMember request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var details = request.contactDetails();
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request.blinded(details, blindIndex), () -> {
            var program = program(caller, Optional.ofNullable(request.programId()));
            var enrolment = identities.enroll(program.id(), request.externalId(), details, caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key));
            var member = enrolment.membership();
            return ResponseEntity.status(enrolment.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/v1/members/" + member.id()))
                .body(new EnrolledMember(member, details.isEmpty() ? null : enrolment.linked()));
        });
    }

    /** A member; a support agent sees its external id masked. */
    @GetMapping("/{memberId}")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    Membership member(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return shown(caller, access.require(caller, memberId));
    }

    /** Finds a member by the integration's external id; a support agent sees it masked in the answer. */
    @GetMapping
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    Membership byExternalId(@RequestParam @Pattern(regexp = EXTERNAL_ID, message = EXTERNAL_ID_RULE) String externalId,
            @RequestParam Optional<UUID> programId, @AuthenticationPrincipal Caller caller) {
        var program = program(caller, programId);
        return memberships.byExternalId(program.id(), externalId).map(member -> shown(caller, member))
            .orElseThrow(() -> new MemberNotFound("with external id '" + externalId + "'"));
    }

    private static Membership shown(Caller caller, Membership member) {
        return caller.seesPersonalData() ? member : new Membership(member.id(), member.personId(), member.programId(),
            member.brandId(), PersonalData.mask(member.externalId()), member.enrolledAt(), member.mergedInto());
    }

    private Program program(Caller caller, Optional<UUID> programId) {
        if (programId.isPresent()) {
            var program = tenancy.program(programId.get());
            if (!caller.mayActOnBrand(program.brandId())) {
                throw new ProgramNotFound(programId.get().toString());
            }
            return program;
        }
        var programs = caller.singleBrand().map(brand -> tenancy.programs(Optional.of(brand))).orElseThrow(
            () -> new InvalidRequest("programId", "must be given: the program to enroll in"));
        if (programs.size() != 1) {
            throw new InvalidRequest("programId", "must be given: this brand runs " + programs.size() + " programs");
        }
        return programs.getFirst();
    }
}
