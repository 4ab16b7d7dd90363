package io.jenkins.plugins.containerbuild.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The context is streamed: a 1 GiB context builds in a JVM whose heap is 128 MiB. */
@Tag("daemon")
class LargeContextDaemonTest {
    private static final long FILE_BYTES = 16L << 20;
    private static final int FILES = 64;

    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        Daemon.assumeAvailable();
    }

    @ParameterizedTest
    @EnumSource(
            value = ContextTransport.class,
            names = {"TAR", "FILE_SYNC"})
    void oneGibContextBuildsWith128MibHeap(ContextTransport transport) throws Exception {
        // The bind mount makes the daemon take the whole context, whichever way it travels.
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + Daemon.BASE_IMAGE + "\nRUN --mount=type=bind,target=/ctx cat /ctx/*.bin | wc -c > /size\n");
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < FILES; i++) {
            Arrays.fill(block, (byte) i);
            try (OutputStream out = Files.newOutputStream(dir.resolve("blob-" + i + ".bin"))) {
                for (long w = 0; w < FILE_BYTES; w += block.length) {
                    out.write(block);
                }
            }
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                LargeContextMain.class.getName(),
                dir.toString(),
                transport.name()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        if (transport == ContextTransport.TAR && Daemon.profile().containerdImageStore()) {
            // dockerd 26 with the containerd image store cannot read a tar body: refused before anything is sent.
            assertThat(p.exitValue()).as(out).isNotZero();
            assertThat(out)
                    .contains("contextTransport", "containerd image store", "file-sync")
                    .doesNotContain("contextBytes=");
            return;
        }
        assertThat(p.exitValue()).as(out).isZero();
        Matcher m = Pattern.compile("contextBytes=(\\d+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(FILES * FILE_BYTES);
        Matcher heap = Pattern.compile("maxHeap=(\\d+)").matcher(out);
        assertThat(heap.find()).isTrue();
        assertThat(Long.parseLong(heap.group(1))).isLessThanOrEqualTo(128L << 20);
    }
}
