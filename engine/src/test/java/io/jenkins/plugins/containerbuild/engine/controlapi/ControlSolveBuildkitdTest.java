package io.jenkins.plugins.containerbuild.engine.controlapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Exporter;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveRequest;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusResponse;
import io.jenkins.plugins.containerbuild.engine.context.ContextTree;
import io.jenkins.plugins.containerbuild.engine.session.filesync.FileSyncProvider;
import io.jenkins.plugins.containerbuild.engine.testing.Buildkitd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dockerfile build through BuildKit's own API on the real buildkitd: the context and the Dockerfile come over the
 * session carried inside {@code Control/Session}, progress over {@code Status}, the image digest from the solve.
 */
@Tag("buildkitd")
class ControlSolveBuildkitdTest {
    @BeforeEach
    void builder() {
        Buildkitd.require();
    }

    @Test
    void aDockerfileBuildsWithItsContextOverTheCarriedSession(@TempDir Path dir) throws Exception {
        Path ctx = Buildkitd.context(dir, UUID.randomUUID().toString());
        String ref = "cb-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        SolveRequest request = SolveRequest.newBuilder()
                .setRef(ref)
                .setFrontend("dockerfile.v0")
                .putFrontendAttrs("filename", "Dockerfile")
                .addExporters(Exporter.newBuilder().setType("image").putAttrs("name", "cb-test/solve:" + ref))
                .build();
        List<StatusResponse> progress = new CopyOnWriteArrayList<>();
        FileSyncProvider sync = new FileSyncProvider(
                Map.of("context", ContextTree.of(ctx, null), "dockerfile", ContextTree.of(ctx, null)));
        Map<String, String> response;
        try (ControlApiClient c = ControlApiClient.connect(Buildkitd.unix(), Duration.ofSeconds(10))) {
            response = c.solve(request, List.of(sync), null, progress::add);
        }
        assertThat(response.get("containerimage.digest")).startsWith("sha256:");
        assertThat(sync.bytesSent())
                .as("context bytes over the carried file sync")
                .isPositive();
        assertThat(progress.stream().flatMap(p -> p.getVertexesList().stream()))
                .anySatisfy(v -> assertThat(v.getName()).contains("COPY marker.txt"));
    }
}
