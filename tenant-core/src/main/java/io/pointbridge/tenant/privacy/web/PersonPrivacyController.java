package io.pointbridge.tenant.privacy.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.privacy.Erasures;
import io.pointbridge.tenant.privacy.PersonExports;
import io.pointbridge.tenant.privacy.PersonExports.PersonExport;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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

/** A person's privacy rights as a tenant admin carries them out: the export of their data, and its erasure. */
@RestController
@RequestMapping("/api/v1/persons/{personId}")
@PreAuthorize("hasRole('TENANT_ADMIN')")
class PersonPrivacyController {

    private final Erasures erasures;
    private final PersonExports exports;
    private final IdempotentRequests idempotent;

    PersonPrivacyController(Erasures erasures, PersonExports exports, IdempotentRequests idempotent) {
        this.erasures = erasures;
        this.exports = exports;
        this.idempotent = idempotent;
    }

    /**
     * Everything the tenant holds about the person (and persons merged into it) as one JSON document, offered as a
     * download; the export is recorded in the audit trail.
     */
    @GetMapping("/export")
    ResponseEntity<PersonExport> export(@PathVariable UUID personId, @AuthenticationPrincipal Caller caller,
            HttpServletRequest http) {
        var export = exports.export(personId, caller.actor(), AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), null));
        return ResponseEntity.ok()
            .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("person-" + export.person().personId() + ".json").build().toString())
            .contentType(MediaType.APPLICATION_JSON)
            .body(export);
    }

    /** Why the person is erased, e.g. the ticket of their request; kept in the audit trail, so no personal data in it. */
    record EraseRequest(@NotBlank @Size(max = 500) String reason) {
    }

    /** Erases the person's personal data, pseudonymising what must stay; the answer holds ids and counts only. */
    @PostMapping("/erasure")
    ResponseEntity<Object> erase(@PathVariable UUID personId, @Valid @RequestBody EraseRequest request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> ResponseEntity.ok(
            erasures.erase(personId, request.reason(), caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key))));
    }
}
