package io.jenkins.plugins.containerbuild.engine.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.api.SshKeySource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Podman backend refuses, and that it refuses before any request: the engine points at a
 * socket that does not exist, so any request would end in DaemonUnreachableException instead.
 */
class PodmanRefusalTest {
    private static final String NO_SUCH_SOCKET = "unix:///nonexistent/container-build-podman.sock";

    @TempDir
    Path dir;

    @BeforeEach
    void context() throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"), "FROM local/busybox:latest\nRUN --mount=type=secret,id=tok true\n");
    }

    private static BuildEngine engine() {
        return BuildEngine.builder()
                .dockerHost(NO_SUCH_SOCKET)
                .backend(Backend.PODMAN)
                .build();
    }

    private void assertRefused(UnaryOperator<BuildContext.Builder> setup, String field, String... words) {
        BuildContext ctx = setup.apply(BuildContext.builder().contextDir(dir)).build();
        try (BuildEngine engine = engine()) {
            assertThatThrownBy(() -> engine.build(ctx, null))
                    .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                        assertThat(e.field()).isEqualTo(field);
                        assertThat(e.getMessage()).contains(words);
                    });
        }
    }

    @Test
    void aSecretIsRefusedWithTheReasonAndNeverRead() {
        AtomicInteger reads = new AtomicInteger();
        byte[] value = "podman-secret-value-7f3a".getBytes(StandardCharsets.UTF_8);
        SecretSource counting = new SecretSource() {
            @Override
            public byte[] read() {
                reads.incrementAndGet();
                return value.clone();
            }

            @Override
            public String describe() {
                return "counting test secret";
            }
        };
        assertRefused(
                b -> b.secret("tok", counting),
                "secrets",
                "Podman backend cannot take build secrets",
                "userdata/secrets",
                "BUILDKIT");
        assertThat(reads).hasValue(0);
    }

    @Test
    void anSshKeyIsRefused() {
        assertRefused(
                b -> b.sshKey("default", SshKeySource.ofAgentSocket(dir.resolve("agent.sock"))),
                "sshKeys",
                "SSH forwarding is not offered");
    }

    @Test
    void aBridgeNetworkIsRefused() {
        assertRefused(b -> b.networkMode("bridge"), "networkMode", "bridge");
    }

    @Test
    void extraHostsWithoutANetworkAreRefused() {
        assertRefused(b -> b.networkMode("none").extraHost("db", "10.0.0.5"), "extraHosts", "/etc/hosts");
    }

    @Test
    void pruneSaysPodmanHasNoBuildCacheApi() {
        try (BuildEngine engine = engine()) {
            assertThatThrownBy(
                            () -> engine.pruneBuildCache(PruneOptions.builder().build()))
                    .isExactlyInstanceOf(BuildException.class)
                    .hasMessageContaining("podman image prune");
        }
    }

    @Test
    void aDockerfileWithErrorsIsRefused() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "RUN echo no FROM here\n");
        assertRefused(b -> b, "dockerfile", "has errors");
    }
}
