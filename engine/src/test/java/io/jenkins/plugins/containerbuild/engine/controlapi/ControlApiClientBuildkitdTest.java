package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.ClientCertificate;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.PruneResult;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BuildKit's own API against the real buildkitd of the test run: unix socket, TCP with mutual TLS, cache. */
@Tag("buildkitd")
class ControlApiClientBuildkitdTest {
    private static final Duration CONNECT = Duration.ofSeconds(10);

    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void theUnixSocketAnswersWithItsVersionAndWorkers() {
        try (ControlApiClient c = ControlApiClient.connect(Buildkitd.unix(), CONNECT)) {
            assertThat(c.version()).startsWith("v0.13");
            assertThat(c.workers())
                    .isNotEmpty()
                    .allSatisfy(w -> assertThat(w.platforms()).contains("linux/amd64"));
        }
    }

    @Test
    void tcpAnswersWithTheClientCertificateAndRefusesWithoutOne() {
        try (ControlApiClient c = ControlApiClient.connect(Buildkitd.tcp(), CONNECT)) {
            assertThat(c.version()).startsWith("v0.13");
        }
        BuilderEndpoint plain = BuilderEndpoint.of(Buildkitd.tcp().address().toString(), null);
        try (ControlApiClient c = ControlApiClient.connect(plain, CONNECT)) {
            assertThatThrownBy(c::workers)
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining(plain.toString())
                    .hasMessageContaining("--builder-tls-dir");
        }
    }

    @Test
    void aClientCertificateHeldInMemoryWorksLikeTheDirectory() throws Exception {
        Path dir = Buildkitd.tlsDir();
        byte[] key = Files.readAllBytes(dir.resolve("key.pem"));
        ClientCertificate cert = new ClientCertificate(
                Files.readAllBytes(dir.resolve("ca.pem")),
                Files.readAllBytes(dir.resolve("cert.pem")),
                SecretSource.ofBytes(key));
        BuilderEndpoint inMemory =
                BuilderEndpoint.of(Buildkitd.tcp().address().toString(), null).withCertificate(cert);
        try (ControlApiClient c = ControlApiClient.connect(inMemory, CONNECT)) {
            assertThat(c.version()).startsWith("v0.13");
        }
        assertThat(inMemory.toString()).isEqualTo(Buildkitd.tcp().address().toString());
        assertThat(cert.toString()).doesNotContain("PRIVATE");
        // The certificate of another CA is refused by the builder, and the message says where to look.
        byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
        ClientCertificate foreign =
                new ClientCertificate(ca, Files.readAllBytes(dir.resolve("ca.pem")), SecretSource.ofBytes(key));
        BuilderEndpoint wrong =
                BuilderEndpoint.of(Buildkitd.tcp().address().toString(), null).withCertificate(foreign);
        try (ControlApiClient c = ControlApiClient.connect(wrong, CONNECT)) {
            assertThatThrownBy(c::workers)
                    .isInstanceOf(DaemonUnreachableException.class)
                    .hasMessageContaining("the TLS handshake failed")
                    .hasMessageContaining("the client certificate credential");
        }
    }

    @Test
    void aMissingSocketIsNamed() {
        BuilderEndpoint none = BuilderEndpoint.of("unix:///run/no-such-buildkitd.sock", null);
        assertThatThrownBy(() -> ControlApiClient.connect(none, CONNECT))
                .isInstanceOf(DaemonUnreachableException.class)
                .hasMessageContaining("/run/no-such-buildkitd.sock does not exist");
    }

    @Test
    void pruneRemovesTheCacheOfABuildAndUsageShowsIt(@TempDir Path dir) throws Exception {
        Path ctx = Buildkitd.context(dir, UUID.randomUUID().toString());
        Buildkitd.buildctl(
                "build", "--frontend", "dockerfile.v0", "--local", "context=" + ctx, "--local", "dockerfile=" + ctx);
        try (ControlApiClient c = ControlApiClient.connect(Buildkitd.unix(), CONNECT)) {
            long[] before = c.usage();
            assertThat(before[1]).as("cache records after a build").isPositive();
            PruneResult pruned = c.prune(PruneOptions.builder().all(true).build());
            assertThat(pruned.cachesDeleted()).isNotEmpty();
            assertThat(c.usage()[1]).isLessThan(before[1]);
        }
    }
}
