package io.jenkins.plugins.containerbuild.engine.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonEndpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions opened and closed repeatedly leave no thread, socket or file descriptor behind. */
class SessionLifecycleTest {
    private static TestDaemon daemon;

    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        daemon = TestDaemon.connectOrSkip();
    }

    @AfterAll
    static void close() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Live threads by name with trailing digits dropped ({@code buildkit-session-loop-1} → {@code buildkit-session-loop-}). */
    private static Map<String, Integer> threads() {
        Map<String, Integer> m = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                m.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return m;
    }

    private static List<String> fds() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                try {
                    out.add(Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    // the fd of the listing itself, gone already
                }
            }
        }
        return out;
    }

    @Test
    void twentySessionsWithABuildEachLeaveNoThreadOrDescriptorBehind() throws Exception {
        String dockerfile = "FROM local/busybox:latest\nRUN --mount=type=secret,id=tok wc -c /run/secrets/tok\n";
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        BuildContext ctx = BuildContext.builder().contextDir(dir)
                .secret("tok", SecretSource.ofBytes("lifecycle".getBytes(StandardCharsets.UTF_8))).build();
        long warm = System.nanoTime();
        try (BuildSession s = BuildSession.open(TestDaemon.ENDPOINT, ctx, Duration.ofSeconds(10))) {
            long opened = System.nanoTime() - warm;
            System.out.printf("first session in this JVM opened in %.1f ms%n", opened / 1e6);
            assertThat(daemon.build(s.id(), null, TestDaemon.files(dockerfile), true).failed()).isFalse();
        }
        Map<String, Integer> threadsBefore = threads();
        List<String> fdsBefore = fds();
        long openNanos = 0;
        long closeNanos = 0;
        long buildNanos = 0;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            BuildSession s = BuildSession.open(TestDaemon.ENDPOINT, ctx, Duration.ofSeconds(10));
            long t1 = System.nanoTime();
            TestDaemon.Outcome o;
            try {
                assertThat(s.isOpen()).isTrue();
                o = daemon.build(s.id(), null, TestDaemon.files(dockerfile), true);
            } finally {
                long t2 = System.nanoTime();
                s.close();
                closeNanos += System.nanoTime() - t2;
                buildNanos += t2 - t1;
            }
            openNanos += t1 - t0;
            assertThat(o.failed()).as("build %d: %s", i, o.error()).isFalse();
            assertThat(s.isOpen()).isFalse();
        }
        System.out.printf("20 sessions: open %.2f ms, close %.2f ms, build %.0f ms on average%n",
                openNanos / 20 / 1e6, closeNanos / 20 / 1e6, buildNanos / 20 / 1e6);
        Map<String, Integer> threadsAfter = threads();
        List<String> fdsAfter = fds();
        System.out.println("threads before " + threadsBefore + "\nthreads after  " + threadsAfter);
        System.out.println("fds before " + fdsBefore.size() + ", after " + fdsAfter.size());
        assertThat(threadsAfter.keySet()).noneMatch(n -> n.startsWith(BuildSession.CALL_THREAD_PREFIX + "")
                && !n.startsWith(BuildSession.LOOP_THREAD_PREFIX));
        assertThat(threadsAfter.getOrDefault("buildkit-session-loop-#-#", 0)).isBetween(1, 2);
        for (String group : threadsAfter.keySet()) {
            if (group.contains("session") || group.contains("grpc") || group.contains("netty")
                    || group.contains("nioEventLoop") || group.contains("ssh")) {
                assertThat(threadsAfter.get(group)).as(group).isLessThanOrEqualTo(threadsBefore.getOrDefault(group, 0));
            }
        }
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore.values().stream().mapToInt(i -> i).sum());
        assertThat(fdsAfter.size()).as("open descriptors: %s", fdsAfter).isLessThanOrEqualTo(fdsBefore.size());
        assertThat(fdsAfter.stream().filter(f -> f.startsWith("socket:")).count())
                .isLessThanOrEqualTo(fdsBefore.stream().filter(f -> f.startsWith("socket:")).count());
    }

    @Test
    void closeIsIdempotentAndEndsTheSession() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        BuildSession s = BuildSession.open(TestDaemon.ENDPOINT, ctx, Duration.ofSeconds(10));
        assertThat(s.id()).matches("[0-9a-f]{32}");
        assertThat(s.advertisedMethods()).contains("/grpc.health.v1.Health/Check",
                "/moby.buildkit.secrets.v1.Secrets/GetSecret", "/moby.sshforward.v1.SSH/ForwardAgent",
                "/moby.filesync.v1.Auth/Credentials");
        assertThat(s.isOpen()).isTrue();
        s.close();
        s.close();
        assertThat(s.isOpen()).isFalse();
        assertThat(s.toString()).contains("closed");
    }

    @Test
    void unreachableDaemonIsAClearIOException() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
        BuildContext ctx = BuildContext.builder().contextDir(dir).build();
        assertThatThrownBy(() -> BuildSession.open(DaemonEndpoint.of("tcp://127.0.0.1:" + port, null), ctx,
                Duration.ofSeconds(2))).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot connect to the Docker daemon at tcp://127.0.0.1:" + port);
        assertThatThrownBy(() -> BuildSession.open(DaemonEndpoint.of("unix:///nonexistent/docker.sock", null), ctx,
                Duration.ofSeconds(2))).isInstanceOf(IOException.class)
                .hasMessageContaining("unix:///nonexistent/docker.sock");
    }
}
