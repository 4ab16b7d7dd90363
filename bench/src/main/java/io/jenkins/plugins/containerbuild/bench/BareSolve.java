package io.jenkins.plugins.containerbuild.bench;

import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Exporter;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveRequest;
import io.jenkins.plugins.containerbuild.engine.context.ContextTree;
import io.jenkins.plugins.containerbuild.engine.context.DockerIgnore;
import io.jenkins.plugins.containerbuild.engine.controlapi.ControlApiClient;
import io.jenkins.plugins.containerbuild.engine.session.filesync.FileSyncProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The floor for a client of a buildkitd: the same build as one {@code Solve} on a warm connection, with only the
 * session's file sync of the context (under a stable shared key) and nothing done with its progress.
 */
final class BareSolve implements AutoCloseable {
    private final ControlApiClient client;
    private final ContextTree tree;
    private final String sharedKey;

    BareSolve(String address, Path dir) throws IOException {
        this.client = ControlApiClient.connect(BuilderEndpoint.of(address, null), Duration.ofSeconds(10));
        this.tree = ContextTree.of(dir, DockerIgnore.load(dir));
        this.sharedKey = "bench-bare:" + dir;
    }

    /** One solve; its wall time in milliseconds. */
    long run() throws IOException {
        SolveRequest request = SolveRequest.newBuilder()
                .setRef(UUID.randomUUID().toString())
                .setFrontend("dockerfile.v0")
                .putFrontendAttrs("filename", "Dockerfile")
                .addExporters(Exporter.newBuilder().setType("image"))
                .build();
        FileSyncProvider sync = new FileSyncProvider(Map.of("context", tree, "dockerfile", tree));
        long t0 = System.nanoTime();
        client.solve(request, List.of(sync), sharedKey, status -> {});
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() {
        client.close();
    }
}
