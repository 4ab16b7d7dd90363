package io.jenkins.plugins.containerbuild.engine.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.session.health.HealthProvider;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.UnixRelay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session on a plain TCP endpoint: the main daemon reached as tcp://127.0.0.1:port through a relay to its unix
 * socket (the shared daemon is not reconfigured to listen on TCP).
 */
@Tag("daemon")
class SessionPlainTcpTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        Daemon.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Daemon.endpoint().isUnixSocket(), "the relay needs the main daemon on a unix socket");
    }

    @Test
    void aPlainTcpSessionIsServed() throws Exception {
        try (UnixRelay relay = new UnixRelay(Daemon.endpoint().socketPath())) {
            BuildSession s =
                    BuildSession.open(DaemonEndpoint.of(relay.host(), null), List.of(), null, Duration.ofSeconds(10));
            try {
                HealthProvider health = (HealthProvider) s.providers().get(0);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (health.checks() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(health.checks()).as("health checks over plain TCP").isGreaterThanOrEqualTo(2);
                assertThat(s.isOpen()).isTrue();
                assertThat(relay.connections()).isEqualTo(1);
            } finally {
                s.close();
            }
        }
    }

    @Test
    void aSecretBuildOverPlainTcp() throws Exception {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM local/busybox:latest\n"
                        + "RUN --mount=type=secret,id=tok test \"$(cat /run/secrets/tok)\" = expected-value\n");
        try (UnixRelay relay = new UnixRelay(Daemon.endpoint().socketPath());
                BuildEngine engine = BuildEngine.builder()
                        .dockerHost(relay.host())
                        .backend(Backend.BUILDKIT)
                        .build()) {
            BuildResult r = engine.build(
                    BuildContext.builder()
                            .contextDir(dir)
                            .noCache(true)
                            .secret("tok", SecretSource.ofBytes("expected-value".getBytes(StandardCharsets.UTF_8)))
                            .build(),
                    e -> {});
            assertThat(r.imageId()).startsWith("sha256:");
            assertThat(relay.connections())
                    .as("API and session connections went over TCP")
                    .isGreaterThanOrEqualTo(2);
            assertThatThrownBy(() -> engine.build(
                            BuildContext.builder()
                                    .contextDir(dir)
                                    .noCache(true)
                                    .secret("tok", SecretSource.ofBytes("other-value".getBytes(StandardCharsets.UTF_8)))
                                    .build(),
                            e -> {}))
                    .isInstanceOf(BuildException.class);
        }
    }
}
