package io.pointbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Addresses outside the API, and addresses the firewall refuses, still answer with problem details. */
class OutsideTheApiIntegrationTests extends IntegrationTest {

    @Test
    void answersAnUnknownAddressOutsideTheApiWithAProblem() {
        var response = api.get("/nothing/here");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.problemType()).isEqualTo("forbidden");
    }

    @Test
    void answersAPathTrickWithAProblem() {
        var response = api.get("/api/v1/..;/brands");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.problemType()).isEqualTo("malformed-request");
    }
}
