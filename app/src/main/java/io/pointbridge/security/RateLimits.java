package io.pointbridge.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.pointbridge.tenant.Caller;
import io.pointbridge.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Token-bucket limits per caller and per tenant (Bucket4j); a request over either gets 429 with
 * Retry-After. Buckets live in a bounded cache and are forgotten when idle.
 */
class RateLimits extends OncePerRequestFilter {

    private final RateLimitSettings settings;
    private final Problems problems;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(10))
        .build();

    RateLimits(RateLimitSettings settings, Problems problems) {
        this.settings = settings;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            var callerProbe = bucket("caller:" + caller.actor(), settings.perCaller()).tryConsumeAndReturnRemaining(1);
            if (!callerProbe.isConsumed()) {
                refuse(request, response, callerProbe.getNanosToWaitForRefill(), "this caller");
                return;
            }
            if (caller.tenantId().isPresent()) {
                var tenantProbe = bucket("tenant:" + caller.tenantId().get(), settings.perTenant())
                    .tryConsumeAndReturnRemaining(1);
                if (!tenantProbe.isConsumed()) {
                    refuse(request, response, tenantProbe.getNanosToWaitForRefill(), "this tenant");
                    return;
                }
            }
            response.setHeader("RateLimit-Remaining", Long.toString(callerProbe.getRemainingTokens()));
        }
        chain.doFilter(request, response);
    }

    private Bucket bucket(String key, RateLimitSettings.Limit limit) {
        return buckets.get(key, k -> Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.refill(), limit.period()).build())
            .build());
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long nanosToWait, String whose)
            throws IOException {
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
        response.setHeader("Retry-After", Long.toString(seconds));
        var problem = Problems.of(429, "rate-limited", "Too many requests",
            "The request rate of " + whose + " is over its limit; retry after " + seconds + " s.");
        problem.setProperty("retryAfterSeconds", seconds);
        problems.write(request, response, problem);
    }
}
