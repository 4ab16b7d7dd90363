package io.jenkins.plugins.containerbuild.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The process of a builder a test owns, as a service manager would run it: started and awaited, killed (what it
 * leaves behind remembered), started again once what the kill left is gone, and stopped with all of it.
 */
final class OwnedProcess {
    /** Whether the builder answers yet. */
    interface Probe {
        boolean answers() throws IOException, InterruptedException;
    }

    private final String what;
    private final Path log;
    private Process process;
    /** What a kill left running (a daemon's containerd and shims, RUN containers, conmon). */
    private final List<ProcessHandle> orphans = new ArrayList<>();

    /**
     * @param what what to call it in errors, e.g. {@code the private dockerd}
     * @param log  where its output goes (appended), shown when it exits at start-up
     */
    OwnedProcess(String what, Path log) {
        this.what = what;
        this.log = log;
    }

    /**
     * Ends what a kill left (a service manager stops the whole unit: dockerd 20.10, for one, cannot start its
     * containerd beside the old one), starts {@code pb} and waits up to 60 s until {@code probe} answers.
     */
    void start(ProcessBuilder pb, Probe probe) throws IOException, InterruptedException {
        for (ProcessHandle p : orphans) {
            p.destroyForcibly();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("process " + p.pid() + " that " + what + " left did not exit", e);
            }
        }
        orphans.clear();
        process = pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (probe.answers()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(what + " exited: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new IOException(what + " did not answer within 60 s; see " + log);
    }

    /** Whether one of its descendants has {@code word} in its command line. */
    boolean runs(String word) {
        return process.descendants()
                .anyMatch(p -> p.info().commandLine().orElse("").contains(word));
    }

    /** SIGKILL, as the OOM killer would kill it. */
    void kill() throws InterruptedException {
        orphans.addAll(process.descendants().toList());
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops it (SIGTERM, SIGKILL after 20 s) and kills everything it or a kill left. */
    void stop() {
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
    }

    /** Runs a short command to its end (at most 30 s) and tells its exit code, -1 when it did not end. */
    static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
