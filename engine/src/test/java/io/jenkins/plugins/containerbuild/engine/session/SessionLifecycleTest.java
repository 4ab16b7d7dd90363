package io.jenkins.plugins.containerbuild.engine.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.core.SessionProviders;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session open/close and connection errors. That 20 builds with secrets through one engine leave no session
 * thread, socket or descriptor behind is proved by {@code api.SecretsEndToEndTest}.
 */
@Tag("daemon")
class SessionLifecycleTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        Daemon.assumeAvailable();
    }

    @Test
    void closeIsIdempotentAndEndsTheSession() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        BuildSession s =
                BuildSession.open(Daemon.endpoint(), SessionProviders.forBuild(ctx), null, Duration.ofSeconds(10));
        assertThat(s.id()).matches("[0-9a-f]{32}");
        assertThat(s.advertisedMethods())
                .contains(
                        "/grpc.health.v1.Health/Check",
                        "/moby.buildkit.secrets.v1.Secrets/GetSecret",
                        "/moby.sshforward.v1.SSH/ForwardAgent",
                        "/moby.filesync.v1.Auth/Credentials");
        assertThat(s.isOpen()).isTrue();
        s.close();
        s.close();
        assertThat(s.isOpen()).isFalse();
        assertThat(s.toString()).contains("closed");
    }

    @Test
    void unreachableDaemonIsAClearIOException() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        assertThatThrownBy(() -> BuildSession.open(
                        DaemonEndpoint.of("tcp://127.0.0.1:" + port, null),
                        SessionProviders.forBuild(ctx),
                        null,
                        Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot connect to the Docker daemon at tcp://127.0.0.1:" + port);
        assertThatThrownBy(() -> BuildSession.open(
                        DaemonEndpoint.of("unix:///nonexistent/docker.sock", null),
                        SessionProviders.forBuild(ctx),
                        null,
                        Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unix:///nonexistent/docker.sock");
    }
}
