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
 * it or fill its disk: {@link #kill()} sends SIGKILL, {@link #start()} starts it again on the same root and socket.
 */
public final class PrivateBuildkitd implements KillableBuilder {
    private final Path dir;
    private final Path socket;
    private final OwnedProcess process;

    private PrivateBuildkitd(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("buildkitd.sock");
        this.process = new OwnedProcess("the private buildkitd", dir.resolve("buildkitd.log"));
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
            if (tmpfsSize != null
                    && OwnedProcess.run(List.of(
                                    "mount",
                                    "-t",
                                    "tmpfs",
                                    "-o",
                                    "size=" + tmpfsSize,
                                    "cb-fault-tmpfs",
                                    b.root().toString()))
                            != 0) {
                throw new IOException("could not mount a tmpfs on " + b.root());
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

    @Override
    public void start() throws IOException, InterruptedException {
        Path bin = Path.of(System.getenv("CB_TEST_BUILDCTL")).resolveSibling("buildkitd");
        Files.deleteIfExists(socket);
        ProcessBuilder pb = new ProcessBuilder(
                bin.toString(),
                "--root",
                root().toString(),
                "--addr",
                "unix://" + socket,
                "--oci-worker=true",
                "--containerd-worker=false");
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        process.start(
                pb,
                () -> Files.exists(socket)
                        && OwnedProcess.run(List.of(
                                        System.getenv("CB_TEST_BUILDCTL"),
                                        "--addr",
                                        "unix://" + socket,
                                        "--timeout",
                                        "2",
                                        "debug",
                                        "workers"))
                                == 0);
    }

    /**
     * Waits until one of the builder's processes (a RUN step's) has {@code word} in its command line.
     *
     * @return false when none had within {@code seconds}
     */
    public boolean awaitProcess(String word, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (process.runs(word)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void kill() throws InterruptedException {
        process.kill();
    }

    /**
     * Stops it and removes what it left: a buildkitd killed during a {@code RUN} leaves that step's container
     * running and its root file system mounted (a restarted buildkitd does not clean them up either).
     */
    @Override
    public void close() {
        process.stop();
        try {
            Leftovers.remove(dir);
        } catch (IOException e) {
            // best effort: a temporary directory of a test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
