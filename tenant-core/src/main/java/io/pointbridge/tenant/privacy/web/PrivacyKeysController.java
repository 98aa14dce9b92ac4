package io.pointbridge.tenant.privacy.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.privacy.KeyRotations;
import io.pointbridge.tenant.privacy.KeyRotations.KeyStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A tenant admin's view of the tenant's data keys, and their rotation. */
@RestController
@RequestMapping("/api/v1/privacy")
@PreAuthorize("hasRole('TENANT_ADMIN')")
class PrivacyKeysController {

    private final KeyRotations rotations;
    private final IdempotentRequests idempotent;

    PrivacyKeysController(KeyRotations rotations, IdempotentRequests idempotent) {
        this.rotations = rotations;
        this.idempotent = idempotent;
    }

    /** The key versions and how many rows each still seals. */
    @GetMapping("/keys")
    KeyStatus keys() {
        return rotations.status();
    }

    /** Starts a new data-key version for all writes; older rows are re-encrypted in the background. No body. */
    @PostMapping("/key-rotations")
    ResponseEntity<Object> rotate(@AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), Map.of(), () -> ResponseEntity
            .status(HttpStatus.CREATED)
            .body(rotations.rotate(caller.actor(), AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key))));
    }
}
