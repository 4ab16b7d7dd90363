package io.jenkins.plugins.containerbuild.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.ContextTransport;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.core.TransportPolicy.Transport;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonApiException;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport decision, made in one place: what AUTO, TAR and FILE_SYNC choose, when a tar body is refused, and
 * that falling back from the file sync to the tar body rests on the daemon adapter's typed condition alone.
 */
class TransportPolicyTest {
    private static final DaemonEndpoint ENDPOINT = DaemonEndpoint.of("unix:///run/test.sock", null);
    private static final DaemonProfile OVERLAY = new DaemonProfile("26.1.5", "1.45", false, false);
    private static final DaemonProfile CONTAINERD = new DaemonProfile("26.1.5", "1.45", false, true);

    @TempDir
    Path dir;

    private ContextArchive archive(String dockerignore) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
        Files.writeString(dir.resolve("a.txt"), "a");
        if (dockerignore != null) {
            Files.writeString(dir.resolve(".dockerignore"), dockerignore);
        }
        return ContextArchive.forBuildKit(BuildContext.builder().contextDir(dir).build());
    }

    private static DaemonApiException refusal(int status, String message) {
        return DaemonApiException.of(
                "POST /build?buildid=x",
                status,
                ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void autoSendsASmallContextAsTheTarBodyAndExplicitChoicesAreKept() throws IOException {
        ContextArchive a = archive(null);
        assertThat(new TransportPolicy(ContextTransport.AUTO, ENDPOINT, () -> OVERLAY).choose(a))
                .isEqualTo(Transport.TAR_BODY);
        assertThat(new TransportPolicy(ContextTransport.FILE_SYNC, ENDPOINT, () -> OVERLAY).choose(a))
                .isEqualTo(Transport.FILE_SYNC);
        assertThat(new TransportPolicy(ContextTransport.TAR, ENDPOINT, () -> null).choose(a))
                .isEqualTo(Transport.TAR_BODY);
    }

    @Test
    void autoUsesTheFileSyncWhereATarBodyCannotWorkAndAnExplicitTarIsRefused() throws IOException {
        ContextArchive plain = archive(null);
        assertThat(new TransportPolicy(ContextTransport.AUTO, ENDPOINT, () -> CONTAINERD).choose(plain))
                .isEqualTo(Transport.FILE_SYNC);
        assertThatThrownBy(() -> new TransportPolicy(ContextTransport.TAR, ENDPOINT, () -> CONTAINERD).choose(plain))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("contextTransport: the daemon at unix:///run/test.sock")
                .hasMessageContaining("containerd image store");
        ContextArchive ignored = archive("Dockerfile\n");
        assertThat(new TransportPolicy(ContextTransport.AUTO, ENDPOINT, () -> OVERLAY).choose(ignored))
                .isEqualTo(Transport.FILE_SYNC);
        assertThatThrownBy(() -> new TransportPolicy(ContextTransport.TAR, ENDPOINT, () -> OVERLAY).choose(ignored))
                .hasMessageContaining("excluded by .dockerignore");
    }

    @Test
    void onlyARefusalOfTheSessionContextTurnsTheFileSyncOff() throws IOException {
        ContextArchive a = archive(null);
        TransportPolicy policy = new TransportPolicy(ContextTransport.FILE_SYNC, ENDPOINT, () -> OVERLAY);
        DaemonApiException buildError = refusal(500, "failed to compute cache key: \\\"/app\\\" not found");
        assertThat(buildError.refusesSessionContext()).isFalse();
        assertThat(policy.fallBackToTarBody(buildError)).isFalse();
        assertThat(policy.choose(a)).isEqualTo(Transport.FILE_SYNC);

        DaemonApiException noSessions = refusal(400, "no session found for local sources");
        assertThat(noSessions.refusesSessionContext()).isTrue();
        assertThat(policy.fallBackToTarBody(noSessions)).isTrue();
        assertThat(policy.choose(a))
                .as("from now on this engine sends tar bodies")
                .isEqualTo(Transport.TAR_BODY);
    }
}
