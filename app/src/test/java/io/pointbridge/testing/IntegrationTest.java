package io.pointbridge.testing;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests: the whole application on a random port, over this JVM's own
 * PostgreSQL database, as the runtime role. Every subclass shares one cached context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class IntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected Fixtures fixtures;

    protected Api api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        var database = TestDatabase.shared();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", () -> TestDatabase.APP);
        registry.add("spring.datasource.password", () -> TestDatabase.APP_PASSWORD);
        registry.add("spring.flyway.user", () -> TestDatabase.OWNER);
        registry.add("spring.flyway.password", () -> TestDatabase.OWNER_PASSWORD);
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "40");
        // Grow the pool for concurrency tests only: test JVMs holding 40 idle connections each exhaust the server.
        registry.add("spring.datasource.hikari.minimum-idle", () -> "2");
        registry.add("spring.datasource.hikari.idle-timeout", () -> "30000");
        // Tests run the jobs themselves, when their scenario needs them: a scheduled run in the middle of a test
        // would change rows the test compares before and after a call (e.g. a refused write "changed nothing").
        registry.add("pointbridge.points-jobs.scheduling", () -> "false");
        registry.add("pointbridge.tiers.reviews.scheduled", () -> "false");
        registry.add("pointbridge.privacy.jobs.enabled", () -> "false");
    }

    @BeforeEach
    void connectApi() {
        api = new Api("http://localhost:" + port);
    }
}
