package io.pointbridge.tenant.rule.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.member.MemberAccess;
import io.pointbridge.tenant.rule.MemberEvents;
import io.pointbridge.tenant.rule.MemberEvents.NewMemberEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Events integrations report for a member beside purchases, which earn by the program's rules. */
@RestController
@RequestMapping("/api/v1/members/{memberId}/events")
@PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN')")
class MemberEventsController {

    static final String REFERENCE = "[\\p{Alnum}._:/#-]{1,128}";

    private final MemberEvents events;
    private final MemberAccess access;
    private final IdempotentRequests idempotent;

    MemberEventsController(MemberEvents events, MemberAccess access, IdempotentRequests idempotent) {
        this.events = events;
        this.access = access;
        this.idempotent = idempotent;
    }

    /**
     * An event.
     *
     * @param type       profile-completed, referral, review, survey-answered, or custom.&lt;name&gt;
     * @param reference  the integration's own id of the event; an event with a reference is recorded once per type
     * @param occurredAt when it happened, at most 45 days ago; now if left out
     * @param attributes what conditions may read as {@code event.attributes}: strings, numbers, booleans, lists of them
     */
    record PostEvent(
            @NotBlank @Size(max = 80) String type,
            @Pattern(regexp = REFERENCE, message = "1 to 128 letters, digits or . _ : / # -") String reference,
            Instant occurredAt,
            @Size(max = 50) Map<String, Object> attributes) {
    }

    @PostMapping
    ResponseEntity<Object> report(@PathVariable UUID memberId, @Valid @RequestBody PostEvent request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var member = access.require(caller, memberId);
            var recorded = events.record(new NewMemberEvent(member.id(), request.type(), request.reference(),
                request.occurredAt(), request.attributes() == null ? Map.of() : request.attributes(), caller.actor()));
            return ResponseEntity.status(201).body(recorded);
        });
    }
}
