package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A caller over its request rate gets 429 with Retry-After, without affecting other callers. */
@TestPropertySource(properties = {
    "pointbridge.rate-limits.per-caller.capacity=5",
    "pointbridge.rate-limits.per-caller.refill=1",
    "pointbridge.rate-limits.per-caller.period=10m"})
class RateLimitIntegrationTests extends IntegrationTest {

    @Test
    void refusesACallerOverItsLimitWithRetryAfter() {
        var group = fixtures.group();
        var member = fixtures.member(group);
        var pos = api.withApiKey(group.cafe().apiKey());

        for (int i = 0; i < 5; i++) {
            assertThat(pos.get("/api/v1/members/" + member.id() + "/balance").status()).isEqualTo(200);
        }
        var refused = pos.get("/api/v1/members/" + member.id() + "/balance");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.problemType()).isEqualTo("rate-limited");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
            seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 600L));
        var otherCaller = api.withApiKey(group.cinema().apiKey()).get("/api/v1/programs");
        assertThat(otherCaller.status()).isEqualTo(200);
    }

    @Test
    void sendsSecurityHeadersOnApiResponses() {
        var group = fixtures.group();
        var response = api.withApiKey(group.cinema().apiKey()).get("/api/v1/brands");

        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(value -> assertThat(value).contains("no-store"));
    }
}
