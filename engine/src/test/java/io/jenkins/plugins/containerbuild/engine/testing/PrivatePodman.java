package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Podman API service this test owns ({@code podman system service} with its own storage root, run root and unix
 * socket), so that a test may kill it without touching the service the scripts started.
 */
public final class PrivatePodman implements KillableBuilder {
    private final Path dir;
    private final Path socket;
    private final OwnedProcess process;

    private PrivatePodman(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("podman.sock");
        this.process = new OwnedProcess("the private podman service", dir.resolve("podman.log"));
    }

    /**
     * Starts one in {@code dir} (short: Podman refuses a run root longer than 50 characters); fails when it does not
     * answer within 60 s.
     */
    public static PrivatePodman start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("tmp"));
        PrivatePodman p = new PrivatePodman(dir);
        try {
            p.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    public DaemonEndpoint endpoint() {
        return DaemonEndpoint.of("unix://" + socket, null);
    }

    @Override
    public BuildEngine engine(Path historyFile) {
        return BuildEngine.builder()
                .endpoint(endpoint())
                .backend(Backend.PODMAN)
                .historyFile(historyFile)
                .build();
    }

    @Override
    public void start() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        ProcessBuilder pb = new ProcessBuilder(
                "podman",
                "--root",
                dir.resolve("root").toString(),
                "--runroot",
                dir.resolve("run").toString(),
                "system",
                "service",
                "--time=0",
                "unix://" + socket);
        pb.environment().put("TMPDIR", dir.resolve("tmp").toString());
        process.start(
                pb,
                () -> Files.exists(socket)
                        && OwnedProcess.run(List.of(
                                        "curl",
                                        "-fsS",
                                        "--max-time",
                                        "2",
                                        "--unix-socket",
                                        socket.toString(),
                                        "http://d/_ping"))
                                == 0);
    }

    @Override
    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() {
        process.stop();
        try {
            Leftovers.remove(dir);
        } catch (IOException e) {
            // best effort: a test's temporary service
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
