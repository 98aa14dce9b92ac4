package io.pointbridge.tenant.identity.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.identity.PersonMerges;
import io.pointbridge.tenant.identity.PersonMerges.WalletMerged;
import io.pointbridge.tenant.identity.PersonProfiles;
import io.pointbridge.tenant.identity.PersonProfiles.ProfileView;
import io.pointbridge.tenant.identity.Persons;
import io.pointbridge.tenant.identity.Persons.PersonView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Persons as tenant admins and support agents see them: every membership across the group; merges by admins. */
@RestController
@RequestMapping("/api/v1/persons")
class PersonsController {

    private final Persons persons;
    private final PersonMerges merges;
    private final IdempotentRequests idempotent;
    private final PersonProfiles personalData;

    PersonsController(Persons persons, PersonMerges merges, IdempotentRequests idempotent, PersonProfiles personalData) {
        this.persons = persons;
        this.merges = merges;
        this.idempotent = idempotent;
        this.personalData = personalData;
    }

    /** Merge the person {@code absorbedPersonId} into the person of the path, for the reason given. */
    record MergePersons(@NotNull UUID absorbedPersonId, @NotBlank @Size(max = 500) String reason) {
    }

    /** A merge: the survivor as it is now, and what moved. */
    record PersonsMerged(PersonView survivor, UUID absorbedPersonId, List<UUID> movedMemberships,
            List<WalletMerged> mergedWallets, UUID auditId) {
    }

    /** A person across the group; a support agent sees the memberships' external ids masked. */
    @GetMapping("/{personId}")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT_AGENT')")
    PersonView person(@PathVariable UUID personId, @AuthenticationPrincipal Caller caller) {
        var view = persons.view(personId);
        return caller.seesPersonalData() ? view : view.withPersonalDataMasked();
    }

    /** The person's personal data: in full for tenant admins, masked for support agents. */
    @GetMapping("/{personId}/profile")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT_AGENT')")
    ProfileView profile(@PathVariable UUID personId, @AuthenticationPrincipal Caller caller) {
        return personalData.ofPerson(caller, personId);
    }

    @PostMapping("/{personId}/merge")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> merge(@PathVariable UUID personId, @Valid @RequestBody MergePersons request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var merged = merges.merge(personId, request.absorbedPersonId(), request.reason(), caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key));
            return ResponseEntity.ok(new PersonsMerged(persons.view(personId), merged.absorbedId(),
                merged.movedMemberships(), merged.mergedWallets(), merged.auditId()));
        });
    }
}
