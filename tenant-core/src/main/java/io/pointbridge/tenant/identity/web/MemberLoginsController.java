package io.pointbridge.tenant.identity.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.identity.MemberLogins;
import io.pointbridge.tenant.identity.MemberLogins.MemberLogin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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

/**
 * Tenant admins link a member's sign-in to their person (a member whose email no brand verified) and unlink it;
 * support agents may look a sign-in up.
 */
@RestController
@RequestMapping("/api/v1/member-logins")
class MemberLoginsController {

    static final String SUBJECT_RULE = "the member's user id in the identity provider: 1 to 64 letters, digits or -";

    private final MemberLogins logins;
    private final IdempotentRequests idempotent;

    MemberLoginsController(MemberLogins logins, IdempotentRequests idempotent) {
        this.logins = logins;
        this.idempotent = idempotent;
    }

    /**
     * @param subject  the member's user id in Keycloak (the {@code sub} of their tokens)
     * @param personId the person they are
     * @param reason   why the admin links them, e.g. how the member proved who they are
     */
    record LinkLogin(@NotNull @Pattern(regexp = MemberLogins.SUBJECT, message = SUBJECT_RULE) String subject,
            @NotNull UUID personId, @NotBlank @Size(max = 500) String reason) {
    }

    /** The sign-in with this subject, or the one linked to this person (one of them must be given). */
    @GetMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT_AGENT')")
    List<MemberLogin> list(
            @RequestParam Optional<@Pattern(regexp = MemberLogins.SUBJECT, message = SUBJECT_RULE) String> subject,
            @RequestParam Optional<UUID> personId) {
        return logins.list(subject, personId);
    }

    /** Links the sign-in: 201 with the link, or 200 if it was linked to this person before. */
    @PostMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> link(@Valid @RequestBody LinkLogin request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var linked = logins.link(request.subject(), request.personId(), request.reason(), caller.actor(),
                AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key));
            return ResponseEntity.status(linked.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/v1/member-logins?subject=" + request.subject()))
                .body(linked.login());
        });
    }

    /**
     * Unlinks the sign-in: it reaches no person, and its email does not link it again, until an admin links it.
     * Unlinking again, or a sign-in never linked, answers the same 204.
     */
    @DeleteMapping("/{subject}")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Void> unlink(@PathVariable @Pattern(regexp = MemberLogins.SUBJECT, message = SUBJECT_RULE) String subject,
            @AuthenticationPrincipal Caller caller, HttpServletRequest http) {
        logins.unlink(subject, caller.actor(), AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), null));
        return ResponseEntity.noContent().build();
    }
}
