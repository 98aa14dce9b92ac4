package io.pointbridge.bench.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Pointbridge application process, started from the jar the build made, against the benchmark's database,
 * with real API-key authentication. Its log goes to a file beside the results.
 */
public final class AppInstance implements AutoCloseable {

    private final Process process;
    private final URI url;
    private final Path log;

    private AppInstance(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Starts the jar on {@code port} and waits until it reports ready.
     *
     * @param properties Spring properties passed as {@code --name=value}
     */
    public static AppInstance start(Path javaHome, Path jar, int port, String jdbcUrl, List<String> jvmOptions,
            Map<String, String> properties, Path log, Duration timeout) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("POINTBRIDGE_DB_URL", jdbcUrl);
        var process = builder.start();
        var instance = new AppInstance(process, URI.create("http://127.0.0.1:" + port + "/"), log);
        instance.awaitReady(timeout);
        return instance;
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var readiness = HttpRequest.newBuilder(url.resolve("actuator/health/readiness")).timeout(Duration.ofSeconds(5))
            .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the app exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                if (client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        close();
        throw new IOException("the app was not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    /** Stops the app gracefully (SIGTERM), then forcibly if it does not exit within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
