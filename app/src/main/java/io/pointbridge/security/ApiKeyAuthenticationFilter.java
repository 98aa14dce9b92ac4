package io.pointbridge.security;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.Caller.BrandScope;
import io.pointbridge.tenant.Caller.Role;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates integrations by the {@code X-Api-Key} header; a presented key that is not valid is refused. */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";

    private final ApiKeys apiKeys;
    private final Problems problems;

    ApiKeyAuthenticationFilter(ApiKeys apiKeys, Problems problems) {
        this.apiKeys = apiKeys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var presented = request.getHeader(HEADER);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        var holder = apiKeys.authenticate(presented.strip());
        if (holder.isEmpty()) {
            problems.write(request, response, Problems.of(401, "unauthenticated", "Unauthenticated",
                "The API key is not valid, or has been revoked."));
            return;
        }
        var key = holder.get();
        var caller = new Caller("api-key:" + key.apiKeyId(), Optional.of(key.tenantId()), BrandScope.only(Set.of(key.brandId())),
            Set.of(Role.INTEGRATION));
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
