package io.pointbridge.exchange;

import io.pointbridge.PointbridgeApplication;
import io.pointbridge.testing.TestDatabase;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application for property tests, which jqwik runs outside Spring's test context: started once per JVM,
 * over the JVM's test database as the runtime role (as {@code IntegrationTest} does). It keeps its web server
 * (on a free port, unused): the security configuration needs a servlet web application.
 */
final class RunningApplication {

    private static ConfigurableApplicationContext context;

    private RunningApplication() {
    }

    static synchronized <T> T bean(Class<T> type) {
        if (context == null) {
            var database = TestDatabase.shared();
            // Command-line arguments, not default properties: those rank below application.yml, whose
            // datasource would then win and point the properties at the development database.
            context = new SpringApplicationBuilder(PointbridgeApplication.class)
                .web(WebApplicationType.SERVLET)
                .run(
                    "--server.port=0",
                    "--spring.datasource.url=" + database.url(),
                    "--spring.datasource.username=" + TestDatabase.APP,
                    "--spring.datasource.password=" + TestDatabase.APP_PASSWORD,
                    "--spring.flyway.user=" + TestDatabase.OWNER,
                    "--spring.flyway.password=" + TestDatabase.OWNER_PASSWORD,
                    "--spring.datasource.hikari.maximum-pool-size=4",
                    "--pointbridge.points-jobs.scheduling=false");
            Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        }
        return context.getBean(type);
    }
}
