package io.pointbridge.tenant.access.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.access.BrandGrants;
import io.pointbridge.tenant.access.BrandGrants.BrandGrant;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Tenant admins grant brand managers their brands, list and revoke the grants; support agents may read them. */
@RestController
@RequestMapping("/api/v1/brand-grants")
class BrandGrantsController {

    static final String SUBJECT = "[A-Za-z0-9-]{1,64}";
    static final String SUBJECT_RULE = "the manager's user id in the identity provider: 1 to 64 letters, digits or -";

    private final BrandGrants grants;
    private final IdempotentRequests idempotent;

    BrandGrantsController(BrandGrants grants, IdempotentRequests idempotent) {
        this.grants = grants;
        this.idempotent = idempotent;
    }

    /**
     * @param subject the brand manager's user id in Keycloak (the {@code sub} of their tokens)
     * @param brandId the brand they may act on
     */
    record GrantBrand(@NotNull @Pattern(regexp = SUBJECT, message = SUBJECT_RULE) String subject, @NotNull UUID brandId) {
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT_AGENT')")
    List<BrandGrant> list(@RequestParam Optional<@Pattern(regexp = SUBJECT, message = SUBJECT_RULE) String> subject) {
        return grants.list(subject);
    }

    /** Grants the brand: 201 with the new grant, or 200 with the existing one if it was granted before. */
    @PostMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> grant(@Valid @RequestBody GrantBrand request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var granted = grants.grant(request.subject(), request.brandId(), caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key));
            return ResponseEntity.status(granted.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/v1/brand-grants/" + request.subject() + "/" + request.brandId()))
                .body(granted.grant());
        });
    }

    /** Revokes the grant; revoking again, or a grant that never was, answers the same 204; an unknown brand 404. */
    @DeleteMapping("/{subject}/{brandId}")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Void> revoke(@PathVariable @Pattern(regexp = SUBJECT, message = SUBJECT_RULE) String subject,
            @PathVariable UUID brandId, @AuthenticationPrincipal Caller caller, HttpServletRequest http) {
        grants.revoke(subject, brandId, caller.actor(), AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), null));
        return ResponseEntity.noContent().build();
    }
}
