package io.jenkins.plugins.containerbuild.engine.context;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive.Entry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextArchiveTest {
    @TempDir
    Path tmp;

    /** One tar entry as read back, with its body. */
    record Read(TarArchiveEntry header, byte[] body) {
        String text() {
            return new String(body, UTF_8);
        }
    }

    @Test
    void writesEntriesDepthFirstByNameWithModesTimesAndContent() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        write(ctx, "b/z.txt", "zzz");
        Path script = write(ctx, "b/a.sh", "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        write(ctx, "a.txt", "aaa");
        Files.createDirectories(ctx.resolve("empty"));
        Files.setPosixFilePermissions(ctx.resolve("empty"), PosixFilePermissions.fromString("rwx--x--x"));
        Path deep = write(ctx, "c/d/e.txt", "eee");
        Files.setLastModifiedTime(deep, FileTime.from(Instant.parse("2021-02-03T04:05:06.789Z")));

        Map<String, Read> tar = readTar(bytes(archive(ctx)));

        assertThat(tar.keySet())
                .containsExactly("Dockerfile", "a.txt", "b/", "b/a.sh", "b/z.txt", "c/", "c/d/", "c/d/e.txt", "empty/");
        assertThat(tar.get("b/a.sh").header().getMode() & 07777).isEqualTo(0750);
        assertThat(tar.get("b/a.sh").text()).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(tar.get("a.txt").header().getMode() & 07777).isEqualTo(0644);
        assertThat(tar.get("empty/").header().isDirectory()).isTrue();
        assertThat(tar.get("empty/").header().getMode() & 07777).isEqualTo(0711);
        assertThat(tar.get("c/d/e.txt").text()).isEqualTo("eee");
        assertThat(tar.get("c/d/e.txt").header().getLastModifiedTime().toInstant())
                .isEqualTo(Instant.parse("2021-02-03T04:05:06Z"));
        for (Read r : tar.values()) {
            assertThat(r.header().getLongUserId()).as(r.header().getName()).isZero();
            assertThat(r.header().getLongGroupId()).isZero();
            assertThat(r.header().getUserName()).isEmpty();
            assertThat(r.header().getGroupName()).isEmpty();
        }
    }

    @Test
    void fitsWithinCountsWhatTheTarWouldHoldAndStopsAtTheLimit() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n"); // 13 bytes
        write(ctx, ".dockerignore", "*.log\n"); // 6 bytes
        write(ctx, "big.log", "x".repeat(10_000)); // excluded: neither counted nor read
        write(ctx, "src/a.txt", "a".repeat(100));
        ContextArchive archive = archive(ctx);
        // Entries: .dockerignore, Dockerfile, src, src/a.txt; bytes 6 + 13 + 100.
        assertThat(archive.fitsWithin(119, 4)).isTrue();
        assertThat(archive.fitsWithin(118, 4)).as("one byte short").isFalse();
        assertThat(archive.fitsWithin(119, 3)).as("one entry short").isFalse();
    }

    @Test
    void leavesOutExcludedFilesButAlwaysSendsTheDockerfileAndDockerignore() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        write(ctx, ".dockerignore", "Dockerfile\n.dockerignore\n*.log\nsecret/\n");
        write(ctx, "app.log", "log");
        write(ctx, "secret/key", "k");
        write(ctx, "src/main.c", "int main;");

        Map<String, Read> tar = readTar(bytes(archive(ctx)));

        assertThat(tar.keySet()).containsExactly(".dockerignore", "Dockerfile", "src/", "src/main.c");
        assertThat(tar.get(".dockerignore").text()).isEqualTo("Dockerfile\n.dockerignore\n*.log\nsecret/\n");
        assertThat(tar.get("Dockerfile").text()).isEqualTo("FROM scratch\n");
    }

    @Test
    void keepsADockerfileInsideAnExcludedDirectory() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, ".dockerignore", "build\n");
        write(ctx, "build/docker/Dockerfile", "FROM scratch\n");
        write(ctx, "build/out.bin", "x");

        ContextArchive archive = ContextArchive.of(BuildContext.builder()
                .contextDir(ctx)
                .dockerfile(Path.of("build/docker/Dockerfile"))
                .build());

        assertThat(archive.dockerfileName()).isEqualTo("build/docker/Dockerfile");
        assertThat(readTar(bytes(archive)).keySet())
                .containsExactly(".dockerignore", "build/", "build/docker/", "build/docker/Dockerfile");
    }

    @Test
    void exceptionsReincludeFilesInsideExcludedDirectoriesAfterTheirParents() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        write(ctx, ".dockerignore", "docs\n!docs/keep.md\nvendor\n!**/KEEP\n");
        write(ctx, "docs/keep.md", "keep");
        write(ctx, "docs/drop.md", "drop");
        write(ctx, "vendor/x/y/KEEP", "k");
        write(ctx, "vendor/x/y/other", "o");
        write(ctx, "vendor/z/other", "o");
        Files.createDirectories(ctx.resolve("vendor/empty"));

        assertThat(readTar(bytes(archive(ctx))).keySet())
                .containsExactly(
                        ".dockerignore",
                        "Dockerfile",
                        "docs/",
                        "docs/keep.md",
                        "vendor/",
                        "vendor/x/",
                        "vendor/x/y/",
                        "vendor/x/y/KEEP");
    }

    @Test
    void archivesSymlinksAsLinksAndNeverReadsTheirTargets() throws Exception {
        Path outside = dir("outside");
        Path secretFile = write(outside, "secret.txt", "TOP-SECRET-OUTSIDE-BYTES");
        write(outside, "dir/inner.txt", "INNER-OUTSIDE-BYTES");
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        Files.createSymbolicLink(ctx.resolve("abs-link"), secretFile);
        Files.createSymbolicLink(ctx.resolve("rel-link"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(ctx.resolve("dir-link"), outside.resolve("dir"));

        byte[] tarBytes = bytes(archive(ctx));
        Map<String, Read> tar = readTar(tarBytes);

        assertThat(tar.keySet()).containsExactly("Dockerfile", "abs-link", "dir-link", "rel-link");
        assertThat(tar.get("abs-link").header().isSymbolicLink()).isTrue();
        assertThat(tar.get("abs-link").header().getLinkName()).isEqualTo(secretFile.toString());
        assertThat(tar.get("rel-link").header().getLinkName()).isEqualTo("../outside/secret.txt");
        assertThat(tar.get("dir-link").header().isSymbolicLink()).isTrue();
        assertThat(tar.get("abs-link").body()).isEmpty();
        String all = new String(tarBytes, UTF_8);
        assertThat(all).doesNotContain("TOP-SECRET-OUTSIDE-BYTES").doesNotContain("INNER-OUTSIDE-BYTES");
    }

    @Test
    void addsADockerfileFromOutsideUnderAGeneratedNameAndIgnoresIt() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "app.txt", "app");
        Path dockerfile = write(dir("elsewhere"), "Dockerfile.prod", "FROM scratch\nCOPY . /\n");
        String expected = ".container-build-dockerfile-"
                + HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(dockerfile.toString().getBytes(UTF_8)))
                        .substring(0, 12);

        ContextArchive archive = ContextArchive.of(
                BuildContext.builder().contextDir(ctx).dockerfile(dockerfile).build());
        Map<String, Read> tar = readTar(bytes(archive));

        assertThat(archive.dockerfileName()).isEqualTo(expected);
        assertThat(tar.keySet()).containsExactly("app.txt", expected, ".dockerignore");
        assertThat(tar.get(expected).text()).isEqualTo("FROM scratch\nCOPY . /\n");
        // So that COPY . leaves the generated file out of the image, as the docker CLI arranges it.
        assertThat(tar.get(".dockerignore").text()).isEqualTo(".dockerignore\n" + expected + "\n");
        assertThat(DockerIgnore.parse(tar.get(".dockerignore").text().lines().toList())
                        .excludes(expected))
                .isTrue();
    }

    @Test
    void appendsTheGeneratedNameToAnExistingDockerignore() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, ".dockerignore", "*.log");
        write(ctx, "x.log", "x");
        Path dockerfile = write(dir("elsewhere"), "Dockerfile", "FROM scratch\n");

        ContextArchive archive = ContextArchive.of(
                BuildContext.builder().contextDir(ctx).dockerfile(dockerfile).build());
        Map<String, Read> tar = readTar(bytes(archive));

        assertThat(tar.keySet()).containsExactly(".dockerignore", archive.dockerfileName());
        assertThat(tar.get(".dockerignore").text()).isEqualTo("*.log\n" + archive.dockerfileName() + "\n");
        assertThat(archive.entries().get(0).size())
                .isEqualTo(tar.get(".dockerignore").body().length);
    }

    @Test
    void entriesListExactlyWhatWriteToWrites() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        write(ctx, ".dockerignore", "tmp\n!tmp/keep\n");
        write(ctx, "tmp/keep", "k");
        write(ctx, "tmp/drop", "d");
        write(ctx, "src/a/b.txt", "0123456789");
        Files.createSymbolicLink(ctx.resolve("src/link"), Path.of("a/b.txt"));
        Files.createDirectories(ctx.resolve("empty"));
        ContextArchive archive = archive(ctx);

        List<Entry> written = new ArrayList<>();
        for (Read r : readTar(bytes(archive)).values()) {
            TarArchiveEntry h = r.header();
            String name = h.isDirectory() ? h.getName().substring(0, h.getName().length() - 1) : h.getName();
            Entry.Type type =
                    h.isDirectory() ? Entry.Type.DIRECTORY : h.isSymbolicLink() ? Entry.Type.SYMLINK : Entry.Type.FILE;
            written.add(new Entry(name, type, h.getSize(), h.isSymbolicLink() ? h.getLinkName() : null));
        }

        assertThat(archive.entries())
                .isEqualTo(written)
                .contains(
                        new Entry("src/link", Entry.Type.SYMLINK, 0, "a/b.txt"),
                        new Entry("src/a/b.txt", Entry.Type.FILE, 10, null),
                        new Entry("empty", Entry.Type.DIRECTORY, 0, null));
    }

    @Test
    void returnsTheNumberOfBytesWrittenAndLeavesTheStreamOpen() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        write(ctx, "big.bin", "x".repeat(100_000));
        ClosingTracker out = new ClosingTracker();

        long count = archive(ctx).writeTo(out);

        assertThat(count).isEqualTo(out.size()).isGreaterThan(100_000);
        assertThat(count % 512).isZero();
        assertThat(out.closed).isFalse();
    }

    @Test
    void longAndUnicodeNamesRoundTrip() throws Exception {
        assumeTrue(
                Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")).equals(UTF_8),
                "file names are not UTF-8 in this JVM (sun.jnu.encoding); run with a UTF-8 locale");
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        String unicode = "grüße/日本語 ✓.txt";
        write(ctx, unicode, "u");
        String longName = "d".repeat(120) + "/" + "f".repeat(120) + ".txt";
        write(ctx, longName, "l");
        Files.createSymbolicLink(ctx.resolve("é-link"), Path.of(unicode));

        Map<String, Read> tar = readTar(bytes(archive(ctx)));

        assertThat(tar).containsKeys(unicode, "grüße/", longName, "é-link");
        assertThat(tar.get(unicode).text()).isEqualTo("u");
        assertThat(tar.get("é-link").header().getLinkName()).isEqualTo(unicode);
    }

    @Test
    void skipsSockets() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        write(ctx, "run/keep", "k");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(ctx.resolve("run/agent.sock")));
            assertThat(ctx.resolve("run/agent.sock")).exists();

            assertThat(readTar(bytes(archive(ctx))).keySet()).containsExactly("Dockerfile", "run/", "run/keep");
        }
    }

    @Test
    void unreadableFileFailsNamingIt() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        Path locked = write(ctx, "locked.txt", "no");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(locked), "running as root: permissions do not stop reading");

        ContextArchive archive = archive(ctx);
        assertThatThrownBy(() -> archive.writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(locked.toString());
    }

    @Test
    void aMalformedDockerignoreFailsNamingIt() throws Exception {
        Path ctx = dir("ctx");
        write(ctx, "Dockerfile", "FROM scratch\n");
        write(ctx, ".dockerignore", "[oops\n");

        assertThatThrownBy(() -> archive(ctx))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(".dockerignore")
                .hasMessageContaining("[oops");
    }

    // --- helpers

    private Path dir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static Path write(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    private static ContextArchive archive(Path ctx) throws IOException {
        return ContextArchive.of(BuildContext.builder().contextDir(ctx).build());
    }

    private static byte[] bytes(ContextArchive archive) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = archive.writeTo(out);
        assertThat(n).isEqualTo(out.size());
        return out.toByteArray();
    }

    private static Map<String, Read> readTar(byte[] tar) throws IOException {
        Map<String, Read> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                Read previous = out.put(e.getName(), new Read(e, in.readAllBytes()));
                assertThat(previous).as("duplicate entry " + e.getName()).isNull();
            }
        }
        return out;
    }

    /** Remembers whether the archive closed the caller's stream. */
    private static final class ClosingTracker extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
