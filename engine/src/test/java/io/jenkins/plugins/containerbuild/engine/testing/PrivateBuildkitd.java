package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A buildkitd this test owns (the binary the scripts built, its own root and unix socket), so that the test may kill
 * it: {@link #kill()} sends SIGKILL, {@link #start()} starts it again on the same root and socket.
 */
public final class PrivateBuildkitd implements KillableBuilder {
    private final Path dir;
    private final Path socket;
    private Process process;
    /** What the killed builder left running (its RUN steps' containers), removed by {@link #close()}. */
    private final List<ProcessHandle> orphans = new java.util.ArrayList<>();

    private PrivateBuildkitd(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("buildkitd.sock");
    }

    /** Starts one in {@code dir}; fails when it does not answer within 60 s. */
    public static PrivateBuildkitd start(Path dir) throws IOException, InterruptedException {
        return start(dir, null);
    }

    /**
     * Starts one in {@code dir} whose root is a tmpfs of {@code tmpfsSize} (e.g. {@code 96m}; null for a plain
     * directory), so that a test can fill its disk.
     */
    public static PrivateBuildkitd start(Path dir, String tmpfsSize) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("root"));
        PrivateBuildkitd b = new PrivateBuildkitd(dir);
        try {
            if (tmpfsSize != null) {
                Process mount = new ProcessBuilder(
                                "mount",
                                "-t",
                                "tmpfs",
                                "-o",
                                "size=" + tmpfsSize,
                                "cb-fault-tmpfs",
                                dir.resolve("root").toString())
                        .inheritIO()
                        .start();
                if (mount.waitFor() != 0) {
                    throw new IOException("could not mount a tmpfs on " + dir.resolve("root"));
                }
            }
            b.start();
        } catch (IOException | InterruptedException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    /** Its root directory (its state, snapshots and cache). */
    public Path root() {
        return dir.resolve("root");
    }

    /** Its unix socket. */
    public Path socket() {
        return socket;
    }

    /** Where the engine reaches it. */
    public BuilderEndpoint endpoint() {
        return BuilderEndpoint.of("unix://" + socket, null);
    }

    @Override
    public BuildEngine engine(Path historyFile) {
        return BuildEngine.builder()
                .builder(endpoint())
                .historyFile(historyFile)
                .build();
    }

    /** Starts the process (again) and waits until it answers. */
    public void start() throws IOException, InterruptedException {
        Path bin = Path.of(System.getenv("CB_TEST_BUILDCTL")).resolveSibling("buildkitd");
        Files.deleteIfExists(socket);
        ProcessBuilder pb = new ProcessBuilder(
                        bin.toString(),
                        "--root",
                        dir.resolve("root").toString(),
                        "--addr",
                        "unix://" + socket,
                        "--oci-worker=true",
                        "--containerd-worker=false")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("buildkitd.log").toFile());
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(
                        "the private buildkitd exited: " + Files.readString(dir.resolve("buildkitd.log")));
            }
            Thread.sleep(200);
        }
        throw new IOException("the private buildkitd did not answer within 60 s");
    }

    /**
     * Waits until one of the builder's processes (a RUN step's) has {@code word} in its command line.
     *
     * @return false when none had within {@code seconds}
     */
    public boolean awaitProcess(String word, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (process.descendants()
                    .anyMatch(p -> p.info().commandLine().orElse("").contains(word))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** SIGKILL: the builder dies at once, as the OOM killer would kill it. */
    public void kill() throws InterruptedException {
        orphans.addAll(process.descendants().toList());
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    private boolean answers() throws IOException, InterruptedException {
        if (!Files.exists(socket)) {
            return false;
        }
        Process p = new ProcessBuilder(List.of(
                        System.getenv("CB_TEST_BUILDCTL"),
                        "--addr",
                        "unix://" + socket,
                        "--timeout",
                        "2",
                        "debug",
                        "workers"))
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /**
     * Stops it and removes what it left: a buildkitd killed during a {@code RUN} leaves that step's container
     * running and its root file system mounted (a restarted buildkitd does not clean them up either).
     */
    @Override
    public void close() {
        stop();
        orphans.forEach(ProcessHandle::destroyForcibly);
        try {
            Leftovers.remove(dir);
        } catch (IOException e) {
            // best effort: a temporary directory of a test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
