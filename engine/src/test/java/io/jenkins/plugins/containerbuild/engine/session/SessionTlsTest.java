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
import io.jenkins.plugins.containerbuild.engine.core.SessionProviders;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.session.health.HealthProvider;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.ProcessResources;
import io.jenkins.plugins.containerbuild.engine.testing.TlsDaemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds and BuildKit sessions against the second dockerd on tcp://127.0.0.1:2376 with {@code --tlsverify}. */
class SessionTlsTest {
    private static final List<String> TAGS = new ArrayList<>();
    private static final String HOST_NAME = "127.0.0.1:2376";

    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        TlsDaemon.assumeAvailable();
    }

    @AfterAll
    static void cleanUp() {
        TAGS.forEach(TlsDaemon::removeImage);
    }

    private static String tag(String name) {
        String t = "tls-test/" + name + ":" + Long.toHexString(System.nanoTime());
        TAGS.add(t);
        return t;
    }

    private static BuildEngine engine(Path certDir) {
        BuildEngine.Builder b = BuildEngine.builder()
                .dockerHost(TlsDaemon.HOST)
                .backend(Backend.BUILDKIT)
                .connectTimeout(Duration.ofSeconds(5));
        if (certDir != null) {
            b.tlsCertDir(certDir);
        }
        return b.build();
    }

    private BuildContext.Builder context(String dockerfile) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        return BuildContext.builder().contextDir(dir);
    }

    @Test
    void plainBuildOverTlsLandsOnTheTlsDaemon() throws Exception {
        String marker = "tls-" + Long.toHexString(System.nanoTime());
        String tag = tag("plain");
        BuildResult r;
        try (BuildEngine engine = engine(TlsDaemon.certDir())) {
            r = engine.build(
                    context("FROM local/busybox:latest\nRUN echo " + marker + " > /marker\n")
                            .tag(tag)
                            .noCache(true)
                            .build(),
                    e -> {});
        }
        assertThat(r.imageId()).startsWith("sha256:");
        try (DaemonClient c = TlsDaemon.client()) {
            JsonValue image = c.getJson("/images/" + tag + "/json");
            assertThat(image.get("Id").asText()).isEqualTo(r.imageId());
            assertThat(c.getJson("/images/" + tag + "/history").toString()).contains("echo " + marker);
        }
        try (DaemonClient main = Daemon.client()) {
            main.ping();
            assertThatThrownBy(() -> main.getJson("/images/" + tag + "/json"))
                    .as("the image was built by the TLS daemon, not the main one")
                    .hasMessageContaining("404");
        } catch (RuntimeException mainDaemonAbsent) {
            // nothing to compare with
        }
    }

    @Test
    void secretIsServedThroughASessionOverTls() throws Exception {
        String dockerfile = "FROM local/busybox:latest\n"
                + "RUN --mount=type=secret,id=tok test \"$(cat /run/secrets/tok)\" = expected-value\n";
        try (BuildEngine engine = engine(TlsDaemon.certDir())) {
            BuildResult ok = engine.build(
                    context(dockerfile)
                            .tag(tag("secret"))
                            .noCache(true)
                            .secret("tok", SecretSource.ofBytes("expected-value".getBytes(StandardCharsets.UTF_8)))
                            .build(),
                    e -> {});
            assertThat(ok.imageId()).startsWith("sha256:");
            // the same step fails with another value: the RUN really compares what the session served
            assertThatThrownBy(() -> engine.build(
                            context(dockerfile)
                                    .noCache(true)
                                    .secret("tok", SecretSource.ofBytes("other-value".getBytes(StandardCharsets.UTF_8)))
                                    .build(),
                            e -> {}))
                    .isInstanceOf(BuildException.class);
        }
    }

    @Test
    void aTlsSessionAnswersTheDaemonsHealthChecks() throws Exception {
        BuildSession s = BuildSession.open(TlsDaemon.endpoint(), List.of(), null, Duration.ofSeconds(10));
        try {
            HealthProvider health = (HealthProvider) s.providers().get(0);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (health.checks() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(health.checks())
                    .as("health checks the daemon sent over TLS")
                    .isGreaterThanOrEqualTo(2);
            assertThat(s.isOpen()).isTrue();
        } finally {
            s.close();
        }
        assertThat(s.isOpen()).isFalse();
    }

    @Test
    void aWrongClientCertificateIsAClearErrorNamingTheHost() throws Exception {
        BuildContext ctx = context("FROM local/busybox:latest\n").build();
        try (BuildEngine engine = engine(TlsDaemon.wrongCertDir())) {
            assertThatThrownBy(() -> engine.build(ctx, e -> {}))
                    .isInstanceOf(BuildException.class)
                    .hasMessageContaining(HOST_NAME)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining(TlsDaemon.wrongCertDir().toString());
        }
        DaemonEndpoint wrong = DaemonEndpoint.of(TlsDaemon.HOST, TlsDaemon.wrongCertDir());
        assertThatThrownBy(() -> BuildSession.open(wrong, SessionProviders.forBuild(ctx), null, Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(HOST_NAME)
                .hasMessageContaining("TLS");
    }

    @Test
    void noClientCertificateIsAClearErrorNamingTheHost() throws Exception {
        BuildContext ctx = context("FROM local/busybox:latest\n").build();
        try (BuildEngine engine = engine(null)) {
            assertThatThrownBy(() -> engine.build(ctx, e -> {}))
                    .isInstanceOf(BuildException.class)
                    .hasMessageContaining(HOST_NAME)
                    .hasMessageContaining("if the daemon uses TLS");
        }
        assertThatThrownBy(() -> BuildSession.open(
                        DaemonEndpoint.of(TlsDaemon.HOST, null),
                        SessionProviders.forBuild(ctx),
                        null,
                        Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(HOST_NAME)
                .hasMessageContaining("HTTPS");
        Path noKey = dir.resolve("certs");
        Files.createDirectories(noKey);
        Files.copy(TlsDaemon.certDir().resolve("ca.pem"), noKey.resolve("ca.pem"));
        Files.copy(TlsDaemon.certDir().resolve("cert.pem"), noKey.resolve("cert.pem"));
        assertThatThrownBy(() -> BuildSession.open(
                        DaemonEndpoint.of(TlsDaemon.HOST, noKey),
                        SessionProviders.forBuild(ctx),
                        null,
                        Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(noKey.resolve("key.pem").toString());
        assertThatThrownBy(() -> engine(noKey))
                .isInstanceOf(BuildException.class)
                .hasMessageContaining(HOST_NAME)
                .hasMessageContaining(noKey.resolve("key.pem").toString());
    }

    @Test
    void fiveTlsSessionsLeaveNoThreadOrDescriptorBehind() throws Exception {
        BuildSession.open(TlsDaemon.endpoint(), List.of(), null, Duration.ofSeconds(10))
                .close(); // warm up
        settle();
        Map<String, Integer> threadsBefore = ProcessResources.threads();
        long socketsBefore = ProcessResources.sockets();
        List<String> fdsBefore = ProcessResources.fds();
        for (int i = 0; i < 5; i++) {
            BuildSession s = BuildSession.open(TlsDaemon.endpoint(), List.of(), null, Duration.ofSeconds(10));
            HealthProvider health = (HealthProvider) s.providers().get(0);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (health.checks() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(health.checks()).as("session %d was served", i).isPositive();
            assertThat(ProcessResources.threads().keySet())
                    .as("a session has call threads while open")
                    .anyMatch(n -> n.startsWith(BuildSession.CALL_THREAD_PREFIX) && !n.contains("loop"));
            s.close();
            assertThat(s.isOpen()).isFalse();
        }
        settle();
        Map<String, Integer> threadsAfter = ProcessResources.threads();
        List<String> fdsAfter = ProcessResources.fds();
        assertThat(threadsAfter.keySet())
                .as("live threads after closing")
                .noneMatch(n -> n.startsWith(BuildSession.CALL_THREAD_PREFIX)
                        && !n.startsWith(BuildSession.LOOP_THREAD_PREFIX));
        threadsAfter.forEach((name, n) -> assertThat(n)
                .as("threads named %s (before %s, after %s)", name, threadsBefore, threadsAfter)
                .isLessThanOrEqualTo(threadsBefore.getOrDefault(name, 0)));
        assertThat(ProcessResources.sockets()).as("open sockets: %s", fdsAfter).isLessThanOrEqualTo(socketsBefore);
        assertThat(fdsAfter.size())
                .as("open descriptors before %s, after %s", fdsBefore, fdsAfter)
                .isLessThanOrEqualTo(fdsBefore.size());
    }

    /** grpc-java releases its shared timer about a second after its last user. */
    private static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        Map<String, Integer> last = ProcessResources.threads();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_500);
            Map<String, Integer> now = ProcessResources.threads();
            if (now.equals(last)) {
                return;
            }
            last = now;
        }
    }

    /** Live threads by name with digits replaced by {@code #}. */
}
