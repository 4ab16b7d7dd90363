package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The standalone buildkitd that scripts/start-buildkitd.sh runs for the tests: a plain unix socket and a TCP
 * address that requires mutual TLS, with the client's ca.pem, cert.pem and key.pem in one directory. The
 * Surefire execution {@code buildkitd-0.13} passes the addresses; a test calls {@link #require()} first.
 */
public final class Buildkitd {
    private Buildkitd() {}

    /** Skips the test (or fails it with {@code CI=true}) when the buildkitd of the test run is not there. */
    public static void require() {
        Required.that(
                System.getenv("CB_TEST_BUILDKIT_UNIX") != null && unix().socketExists(),
                "no buildkitd: run scripts/start-buildkitd.sh start (the buildkitd-0.13 Surefire execution passes"
                        + " its addresses)");
    }

    /** The plain unix socket. */
    public static BuilderEndpoint unix() {
        return BuilderEndpoint.of(env("CB_TEST_BUILDKIT_UNIX"), null);
    }

    /** The TCP address with the client's TLS material. */
    public static BuilderEndpoint tcp() {
        return BuilderEndpoint.of(env("CB_TEST_BUILDKIT_TCP"), tlsDir());
    }

    public static Path tlsDir() {
        return Path.of(env("CB_TEST_BUILDKIT_TLS"));
    }

    /** Runs buildctl against the unix socket; returns its output, failing on a non-zero exit. */
    public static String buildctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(env("CB_TEST_BUILDCTL"), "--addr", env("CB_TEST_BUILDKIT_UNIX")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("buildctl " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    /** A context directory with a Dockerfile that makes one cache record per run of {@code marker}. */
    public static Path context(Path dir, String marker) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY marker.txt /\n");
        Files.writeString(dir.resolve("marker.txt"), marker);
        return dir;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null) {
            throw new IllegalStateException(name + " is not set (the buildkitd-0.13 Surefire execution sets it)");
        }
        return v;
    }
}
