package io.pointbridge.tenant.privacy.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.privacy.Retention;
import io.pointbridge.tenant.privacy.Retention.RetentionSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A tenant admin's retention setting: after how many months without activity a person's personal data is erased. */
@RestController
@RequestMapping("/api/v1/privacy/retention")
@PreAuthorize("hasRole('TENANT_ADMIN')")
class RetentionController {

    private final Retention retention;
    private final IdempotentRequests idempotent;

    RetentionController(Retention retention, IdempotentRequests idempotent) {
        this.retention = retention;
        this.idempotent = idempotent;
    }

    /** @param eraseAfterInactiveMonths 1 to 240 months; null (or left out) keeps personal data until erasure is asked for */
    record RetentionRequest(@Min(1) @Max(240) Integer eraseAfterInactiveMonths) {
    }

    @GetMapping
    RetentionSettings settings() {
        return retention.settings();
    }

    @PutMapping
    ResponseEntity<Object> update(@Valid @RequestBody RetentionRequest request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> ResponseEntity.ok(
            retention.update(request.eraseAfterInactiveMonths(), caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key))));
    }
}
