package io.pointbridge.security;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.audit.AuditContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Makes the authenticated caller the actor of every change the request audits, under the request's id. */
class AuditContextFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            var requestId = AuditTrail.requestId(request.getHeader(AuditTrail.REQUEST_ID_HEADER),
                request.getHeader(IdempotentRequests.HEADER));
            try (var scope = AuditContext.enter(caller.actor(), requestId)) {
                chain.doFilter(request, response);
            }
        } else {
            chain.doFilter(request, response);
        }
    }
}
