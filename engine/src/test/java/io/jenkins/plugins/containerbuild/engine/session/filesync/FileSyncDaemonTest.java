package io.jenkins.plugins.containerbuild.engine.session.filesync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.ContextTransport;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The context over the file sync is what the build sees with the tar: the same context is built both ways and
 * a listing made inside the build (names, modes, types, sizes, owners, mtimes in seconds, link targets, file
 * checksums) is compared; then what changes between two builds, and how few bytes a rebuild sends.
 */
@Tag("daemon")
class FileSyncDaemonTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final String LIST_STEP = "RUN cd /ctx";
    private static final String DOCKERFILE = String.join(
            "\n",
            "FROM " + Daemon.BASE_IMAGE,
            "COPY . /ctx",
            LIST_STEP + " && find . ! -path . -exec stat -c '%n|%a|%F|%s|%u|%g|%Y|%N' {} + | sort"
                    + " && echo -- && find . -type f -exec md5sum {} + | sort && echo " + RUN_ID,
            "");

    private static BuildEngine tarEngine;
    private static BuildEngine syncEngine;

    @TempDir
    Path dir;

    @BeforeAll
    static void engines() {
        Daemon.assumeAvailable();
        tarEngine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .backend(Backend.BUILDKIT)
                .contextTransport(ContextTransport.TAR)
                .build();
        syncEngine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .backend(Backend.BUILDKIT)
                .contextTransport(ContextTransport.FILE_SYNC)
                .build();
    }

    @AfterAll
    static void close() {
        if (tarEngine != null) {
            tarEngine.close();
            syncEngine.close();
        }
    }

    /** Builds {@code dir} and returns the listing lines the build printed, with the context bytes. */
    private static Listing list(BuildEngine engine, BuildContext ctx) {
        List<String> lines = new ArrayList<>();
        BuildResult r = engine.build(ctx.toBuilder().noCache(true).build(), p -> {
            if (p.kind() == BuildProgress.Kind.LOG && p.vertexName().contains(LIST_STEP)) {
                lines.add(p.message());
            }
        });
        assertThat(lines).as("the listing step printed").contains("--", RUN_ID);
        // A directory holding files gets the time the daemon wrote them with the file sync (with the docker
        // CLI too), its own time with the tar: compare directories' other fields only.
        List<String> normalized = lines.stream()
                .map(l -> l.contains("|directory|") ? l.replaceFirst("^(([^|]*\\|){6})[0-9]+", "$1*") : l)
                .toList();
        return new Listing(normalized, r.metrics().contextBytes());
    }

    private record Listing(List<String> lines, long contextBytes) {
        List<String> entries() {
            return lines.subList(0, lines.indexOf("--"));
        }
    }

    private BuildContext ctx() {
        return BuildContext.builder().contextDir(dir).build();
    }

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void mode(String rel, String perms) throws IOException {
        Files.setPosixFilePermissions(dir.resolve(rel), PosixFilePermissions.fromString(perms));
    }

    private void richContext() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), DOCKERFILE);
        write("plain.txt", "plain\n");
        write("script.sh", "#!/bin/sh\necho hi\n");
        mode("script.sh", "rwxr-x--x");
        write("secret.key", "k");
        mode("secret.key", "rw-------");
        write("readonly.txt", "ro");
        mode("readonly.txt", "r--r--r--");
        write("suid", "s");
        Files.setAttribute(dir.resolve("suid"), "unix:mode", 04755);
        Files.createDirectories(dir.resolve("shared"));
        Files.setAttribute(dir.resolve("shared"), "unix:mode", 02775);
        Files.createDirectories(dir.resolve("tmpdir"));
        Files.setAttribute(dir.resolve("tmpdir"), "unix:mode", 01777);
        write("empty.txt", "");
        Files.createDirectories(dir.resolve("empty"));
        Files.createDirectories(dir.resolve("deep/er/still/empty"));
        byte[] big = new byte[100_000 + 7]; // several 32 KiB chunks and a partial one
        new Random(42).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        // Links are sent as links, never followed, dangling or not, even out of the context.
        Files.createSymbolicLink(dir.resolve("link-to-file"), Path.of("plain.txt"));
        Files.createSymbolicLink(dir.resolve("link-to-dir"), Path.of("deep/er"));
        Files.createSymbolicLink(dir.resolve("dangling"), Path.of("no/such/file"));
        Files.createSymbolicLink(dir.resolve("outside"), Path.of("/etc/passwd"));
        // Unicode names (one beyond the BMP) and names whose order differs from '/'-less sorting.
        write("ünïcødé.txt", "u");
        write("日本語/ファイル.txt", "j");
        write("emoji-\uD83D\uDE00.txt", "e");
        write("\uFF21-fullwidth.txt", "f");
        write("with space.txt", "s");
        write("a/b", "ab");
        write("a.txt", "a");
        write("a-b", "a-b");
        write("a b", "a b");
        // A few rows of the .dockerignore table, end to end.
        write("app.log", "x");
        write("keep.log", "kept");
        write("build/out.o", "o");
        write("build/keep/me.txt", "re-included");
        write("src/tmp/scratch", "t");
        write("src/main.go", "package main");
        write("docs/a.md", "a");
        write("docs/README.md", "readme");
        write("#hash", "not a comment");
        Files.writeString(
                dir.resolve(".dockerignore"),
                String.join(
                        "\n",
                        "# comment",
                        "*.log",
                        "!keep.log",
                        "build",
                        "!build/keep",
                        "**/tmp",
                        "docs/*.md",
                        "!docs/README.md",
                        "/./#hash/",
                        ".dockerignore",
                        ""));
    }

    @Test
    void theBuildSeesTheSameContextBothWays() throws IOException {
        richContext();
        Listing sync = list(syncEngine, ctx());
        Listing tar = listOverTar(ctx());
        if (tar != null) {
            assertThat(sync.lines()).containsExactlyElementsOf(tar.lines());
        }
        // And it is the right one (both ways could be wrong alike).
        List<String> e = sync.entries();
        assertThat(e)
                .anyMatch(l -> l.startsWith("./script.sh|751|regular file|"))
                .anyMatch(l -> l.startsWith("./secret.key|600|"))
                .anyMatch(l -> l.startsWith("./readonly.txt|444|"))
                .anyMatch(l -> l.startsWith("./suid|4755|"))
                .anyMatch(l -> l.startsWith("./shared|2775|directory|"))
                .anyMatch(l -> l.startsWith("./tmpdir|1777|directory|"))
                .anyMatch(l -> l.startsWith("./empty|755|directory|"))
                .anyMatch(l -> l.startsWith("./deep/er/still/empty|755|directory|"))
                .anyMatch(l -> l.startsWith("./empty.txt|644|regular empty file|0|0|0|"))
                .anyMatch(l -> l.startsWith("./big.bin|644|regular file|100007|0|0|"))
                .anyMatch(l -> l.startsWith("./link-to-file|777|symbolic link|") && l.endsWith("-> 'plain.txt'"))
                .anyMatch(l -> l.startsWith("./link-to-dir|777|symbolic link|") && l.endsWith("-> 'deep/er'"))
                .anyMatch(l -> l.startsWith("./dangling|") && l.endsWith("-> 'no/such/file'"))
                .anyMatch(l -> l.startsWith("./outside|") && l.endsWith("-> '/etc/passwd'"))
                .anyMatch(l -> l.startsWith("./ünïcødé.txt|"))
                .anyMatch(l -> l.startsWith("./日本語/ファイル.txt|"))
                .anyMatch(l -> l.startsWith("./emoji-\uD83D\uDE00.txt|"))
                .anyMatch(l -> l.startsWith("./\uFF21-fullwidth.txt|"))
                .anyMatch(l -> l.startsWith("./with space.txt|"))
                .anyMatch(l -> l.startsWith("./a/b|"))
                .anyMatch(l -> l.startsWith("./a-b|"))
                .anyMatch(l -> l.startsWith("./a b|"))
                .anyMatch(l -> l.startsWith("./keep.log|"))
                .anyMatch(l -> l.startsWith("./build/keep/me.txt|"))
                .anyMatch(l -> l.startsWith("./src/main.go|"))
                .anyMatch(l -> l.startsWith("./docs/README.md|"))
                .anyMatch(l -> l.startsWith("./Dockerfile|"))
                .noneMatch(l -> l.startsWith("./.dockerignore|")) // it excludes itself
                .noneMatch(l -> l.startsWith("./app.log|"))
                .noneMatch(l -> l.startsWith("./build/out.o|"))
                .noneMatch(l -> l.startsWith("./src/tmp"))
                .noneMatch(l -> l.startsWith("./docs/a.md|"))
                .noneMatch(l -> l.startsWith("./#hash|"));
        assertThat(e).filteredOn(l -> l.contains("|0|0|")).hasSameSizeAs(e); // owner root for everything
        assertThat(sync.lines()).contains(md5("kept") + "  ./keep.log", md5("re-included") + "  ./build/keep/me.txt");
        assertThat(e).contains("./shared|2775|directory|4096|0|0|*|./shared");
    }

    @Test
    void changesBetweenTwoBuildsAreSeenAndOnlyTheChangedFileIsSent() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), DOCKERFILE);
        byte[] big = new byte[1 << 20];
        new Random(7).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        write("same-size.txt", "AAAA");
        write("gone.txt", "bye");
        write("mode.sh", "echo");
        write("becomes-link", "file");
        write("dir/inner.txt", "inner");
        Listing first = list(syncEngine, ctx());
        assertThat(first.contextBytes()).isGreaterThanOrEqualTo(big.length);

        // Same size, same second: only the nanoseconds of the mtime tell the daemon.
        FileTime before = Files.getLastModifiedTime(dir.resolve("same-size.txt"));
        write("same-size.txt", "BBBB");
        Files.setLastModifiedTime(dir.resolve("same-size.txt"), FileTime.fromMillis(before.toMillis() + 1));
        Files.delete(dir.resolve("gone.txt"));
        write("new.txt", "new");
        mode("mode.sh", "rwxr-xr-x");
        Files.delete(dir.resolve("becomes-link"));
        Files.createSymbolicLink(dir.resolve("becomes-link"), Path.of("dir/inner.txt"));
        write("dir/added/deeper.txt", "deeper");
        Listing second = list(syncEngine, ctx());
        // Nothing changed since: nothing sent (stats only).
        Listing third = list(syncEngine, ctx());
        assertThat(third.lines()).containsExactlyElementsOf(second.lines());
        Listing viaTar = listOverTar(ctx());
        if (viaTar != null) {
            assertThat(second.lines()).containsExactlyElementsOf(viaTar.lines());
        }
        assertThat(second.entries())
                .noneMatch(l -> l.startsWith("./gone.txt|"))
                .anyMatch(l -> l.startsWith("./new.txt|"))
                .anyMatch(l -> l.startsWith("./mode.sh|755|"))
                .anyMatch(l -> l.startsWith("./becomes-link|777|symbolic link|"))
                .anyMatch(l -> l.startsWith("./dir/added/deeper.txt|"));
        assertThat(second.lines()).contains(md5("BBBB") + "  ./same-size.txt");
        // Sent: the new and changed files only (4 + 3 + 6 bytes; the mode change needs no data), then nothing.
        // Others may prune the daemon's cache meanwhile (its copy is then gone and all is sent again): such a
        // round is retried with one more 4-byte change, a few times at most.
        long resent = dockerfileResentEachBuild();
        List<Long> attempts = new ArrayList<>(List.of(second.contextBytes(), third.contextBytes()));
        boolean incremental = second.contextBytes() >= 13 + resent
                && second.contextBytes() <= 64 + resent
                && third.contextBytes() == resent;
        for (int i = 0; i < 3 && !incremental; i++) {
            write("same-size.txt", "C" + i + "C" + i);
            long changed = list(syncEngine, ctx()).contextBytes();
            long unchanged = list(syncEngine, ctx()).contextBytes();
            attempts.addAll(List.of(changed, unchanged));
            incremental = changed == 4 + resent && unchanged == resent;
        }
        assertThat(incremental).as("bytes sent by the rebuilds: %s", attempts).isTrue();
    }

    @Test
    void autoSendsASmallContextAsTarAndALargeOneOverTheFileSync() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), DOCKERFILE);
        write("small.txt", "small");
        try (BuildEngine auto = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .backend(Backend.BUILDKIT)
                .build()) {
            list(auto, ctx());
            long smallBytes = list(auto, ctx()).contextBytes();
            if (Daemon.profile().containerdImageStore()) {
                // dockerd 26 with the containerd store cannot take a tar body: AUTO syncs every context there,
                // and an unchanged rebuild sends no file but the Dockerfile.
                assertThat(smallBytes)
                        .as("an unchanged rebuild of the small context on %s", Daemon.name())
                        .isEqualTo(dockerfileResentEachBuild());
            } else {
                // A tar body is sent whole on every build: the rebuild sends the same bytes again.
                assertThat(smallBytes).as("a tar of the small context").isGreaterThan(512);
            }

            byte[] big = new byte[(int) ContextTransport.SMALL_CONTEXT_BYTES + 1];
            new Random(3).nextBytes(big);
            Files.write(dir.resolve("big.bin"), big);
            assertThat(list(auto, ctx()).contextBytes()).isGreaterThanOrEqualTo(big.length);
            // Over the file sync an unchanged rebuild sends no file at all (retried if another test pruned
            // the daemon's copy meanwhile).
            long resent = dockerfileResentEachBuild();
            long unchanged = list(auto, ctx()).contextBytes();
            for (int i = 0; i < 2 && unchanged != resent; i++) {
                unchanged = list(auto, ctx()).contextBytes();
            }
            assertThat(unchanged)
                    .as("an unchanged rebuild of the large context")
                    .isEqualTo(resent);
        }
    }

    @Test
    void aDockerfileOutsideTheContextOrInASubfolder(@TempDir Path elsewhere) throws IOException {
        write("payload.txt", "payload-" + RUN_ID);
        Path outside = elsewhere.resolve("Build.dockerfile");
        Files.writeString(
                outside,
                "FROM " + Daemon.BASE_IMAGE + "\nCOPY . /ctx\n" + "RUN cat /ctx/payload.txt && echo && ls -a /ctx\n");
        write("ci/Dockerfile.ci", "FROM " + Daemon.BASE_IMAGE + "\nCOPY payload.txt /p\nRUN cat /p\n");
        for (BuildContext c : List.of(
                BuildContext.builder().contextDir(dir).dockerfile(outside).build(),
                BuildContext.builder()
                        .contextDir(dir)
                        .dockerfile(dir.resolve("ci/Dockerfile.ci"))
                        .build())) {
            List<String> logs = new ArrayList<>();
            syncEngine.build(c.toBuilder().noCache(true).build(), p -> {
                if (p.kind() == BuildProgress.Kind.LOG) {
                    logs.add(p.message());
                }
            });
            assertThat(logs).contains("payload-" + RUN_ID);
            assertThat(logs)
                    .noneMatch(l -> l.contains("Build.dockerfile") || l.contains(".container-build-dockerfile"));
        }
    }

    /**
     * The Dockerfile's bytes, which dockerd 26's frontend (BuildKit v0.13) pulls whole on every build: it
     * loads the {@code dockerfile} directory without the incremental diff (the docker CLI sends it again too).
     * dockerd 20.10's (v0.8) syncs it like the context, so an unchanged one is not sent.
     */
    private long dockerfileResentEachBuild() throws IOException {
        return Daemon.profile().buildKitMinor() == 8 ? 0 : Files.size(dir.resolve("Dockerfile"));
    }

    /**
     * The listing of a build with the context sent as the tar body; on the containerd image store, which cannot
     * take one, null after checking that the engine refused it before sending, naming the fix.
     */
    private static Listing listOverTar(BuildContext ctx) {
        if (Daemon.profile().containerdImageStore()) {
            assertThatThrownBy(() -> list(tarEngine, ctx))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageContaining("contextTransport")
                    .hasMessageContaining("containerd image store")
                    .hasMessageContaining("file-sync");
            return null;
        }
        return list(tarEngine, ctx);
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"BUILDKIT", "CLASSIC"})
    void anExcludedDockerfileAndDockerignoreNeverLandInTheImage(Backend backend) throws IOException {
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + Daemon.BASE_IMAGE + "\nCOPY . /ctx\n" + "RUN echo " + RUN_ID + " && ls -A /ctx\n");
        Files.writeString(dir.resolve(".dockerignore"), "Dockerfile\n.dockerignore\n");
        write("kept.txt", "kept");
        List<String> logs = new ArrayList<>();
        // AUTO (the default): the tar body cannot keep the Dockerfile out, so the context goes over the file sync.
        try (BuildEngine engine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .backend(backend)
                .build()) {
            engine.build(ctx().toBuilder().noCache(true).build(), p -> logs.add(p.message()));
        }
        assertThat(logs)
                .as("the listing of /ctx")
                .anyMatch(l -> l.contains("kept.txt"))
                .noneMatch(l -> l.endsWith("Dockerfile"))
                .noneMatch(l -> l.endsWith(".dockerignore"));
        if (backend == Backend.BUILDKIT) {
            // Asked for explicitly, the tar body is refused before anything is sent, saying why and what to use.
            assertThatThrownBy(() -> list(tarEngine, ctx()))
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageContaining("contextTransport")
                    .hasMessageContaining("file-sync");
        }
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
