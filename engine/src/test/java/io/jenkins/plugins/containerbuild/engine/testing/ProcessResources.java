package io.jenkins.plugins.containerbuild.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Snapshots of this JVM's threads and open file descriptors, for tests that prove nothing leaks. */
public final class ProcessResources {
    private ProcessResources() {}

    /** Live threads counted by name, with digits folded so numbered pools compare by kind. */
    public static Map<String, Integer> threads() {
        Map<String, Integer> m = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                m.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return m;
    }

    /** What each open descriptor of this process points at ({@code socket:[…]}, a path, …). */
    public static List<String> fds() throws IOException {
        List<String> list = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                try {
                    list.add(Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    // the listing's own descriptor, closed already
                }
            }
        }
        return list;
    }

    /** Open sockets of this process. */
    public static long sockets() throws IOException {
        return fds().stream().filter(f -> f.startsWith("socket:")).count();
    }

    /** The number of live threads. */
    public static int liveThreads() {
        return Thread.getAllStackTraces().size();
    }

    /** The live thread count once threads that are ending have ended (waits up to 10 s for at most baseline + 2). */
    public static int settledThreads(int baseline) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        int n = liveThreads();
        while (n > baseline + 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            n = liveThreads();
        }
        return n;
    }

    /** The number of open file descriptors of this process. */
    public static long openFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
