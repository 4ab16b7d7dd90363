package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Podman API service this test owns ({@code podman system service} with its own storage root, run root and unix
 * socket), so that a test may kill it without touching the service the scripts started.
 */
public final class PrivatePodman implements KillableBuilder {
    private final Path dir;
    private final Path socket;
    private Process process;
    /** What a kill left running (conmon, RUN containers), removed before a restart and by {@link #close()}. */
    private final List<ProcessHandle> orphans = new ArrayList<>();

    private PrivatePodman(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("podman.sock");
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
        for (ProcessHandle p : orphans) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("process " + p.pid() + " that the killed service left did not exit", e);
            }
        }
        orphans.clear();
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
                        "unix://" + socket)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("podman.log").toFile()));
        pb.environment().put("TMPDIR", dir.resolve("tmp").toString());
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket) && answers()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(
                        "the private podman service exited: " + Files.readString(dir.resolve("podman.log")));
            }
            Thread.sleep(250);
        }
        throw new IOException("the private podman service did not answer within 60 s");
    }

    private boolean answers() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "curl", "-fsS", "--max-time", "2", "--unix-socket", socket.toString(), "http://d/_ping")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Override
    public void kill() throws InterruptedException {
        orphans.addAll(process.descendants().toList());
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            orphans.addAll(process.descendants().toList());
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        orphans.forEach(ProcessHandle::destroyForcibly);
        try {
            Leftovers.remove(dir);
        } catch (IOException e) {
            // best effort: a test's temporary service
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
