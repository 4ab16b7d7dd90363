package io.jenkins.plugins.containerbuild.engine.session.filesync;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive.Entry.Type;
import io.jenkins.plugins.containerbuild.engine.context.ContextTree;
import io.jenkins.plugins.containerbuild.engine.context.DockerIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daemon-free: mode bits, walk order and the daemon's patterns as the DiffCopy sender applies them. */
class FileSyncProviderTest {
    @TempDir
    Path dir;

    @Test
    void goFileModes() {
        assertThat(DiffCopyCall.goMode(Type.DIRECTORY, 0755)).isEqualTo(0x800001ed);
        assertThat(DiffCopyCall.goMode(Type.SYMLINK, 0777)).isEqualTo(0x080001ff);
        assertThat(DiffCopyCall.goMode(Type.FILE, 0644)).isEqualTo(0x1a4);
        assertThat(DiffCopyCall.goMode(Type.FILE, 04755)).isEqualTo((1 << 23) | 0755);
        assertThat(DiffCopyCall.goMode(Type.DIRECTORY, 02775)).isEqualTo((1 << 31) | (1 << 22) | 0775);
        assertThat(DiffCopyCall.goMode(Type.DIRECTORY, 01777)).isEqualTo((1 << 31) | (1 << 20) | 0777);
    }

    private List<String> walk(ContextTree tree, Metadata md) throws IOException {
        List<String> out = new ArrayList<>();
        tree.walk(FileSyncProvider.filters(tree, md), n -> out.add(n.path()));
        return out;
    }

    private static Metadata md(String... kv) {
        Metadata m = new Metadata();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(Metadata.Key.of(kv[i], Metadata.ASCII_STRING_MARSHALLER), kv[i + 1]);
        }
        return m;
    }

    private void files(String... rels) throws IOException {
        for (String r : rels) {
            Path p = dir.resolve(r);
            Files.createDirectories(p.getParent());
            Files.writeString(p, r);
        }
    }

    @Test
    void orderIsByNameBytesWithSlashFirstAndParentsFirst() throws IOException {
        files("a.txt", "a/b", "a-b", "a b", "\uFF21", "\uD83D\uDE00", "z/y/x");
        assertThat(walk(ContextTree.of(dir, null), md()))
                .containsExactly("a", "a/b", "a b", "a-b", "a.txt", "z", "z/y", "z/y/x", "\uFF21", "\uD83D\uDE00");
    }

    @Test
    void includePatternsAndFollowPathsKeepOnlyWhatTheyNameWithTheirParents() throws IOException {
        files("Dockerfile", "Dockerfile.dockerignore", "other", "sub/Dockerfile", "sub/x", "deep/a/b/keep.txt");
        Metadata m = md(
                "dir-name",
                "dockerfile",
                "followpaths",
                "Dockerfile",
                "followpaths",
                "Dockerfile.dockerignore",
                "include-patterns",
                "deep/a/b/keep.txt");
        assertThat(walk(ContextTree.of(dir, null), m))
                .containsExactly(
                        "Dockerfile", "Dockerfile.dockerignore", "deep", "deep/a", "deep/a/b", "deep/a/b/keep.txt");
    }

    @Test
    void ownRulesReplaceTheDaemonsExcludesUnlessOverridden() throws IOException {
        files("Dockerfile", "app.log", "keep.log", "src/x");
        ContextTree tree = ContextTree.of(dir, DockerIgnore.parse(List.of("*.log", "!keep.log")));
        assertThat(walk(tree, md("exclude-patterns", "src", "exclude-patterns", "Dockerfile")))
                .containsExactly("Dockerfile", "keep.log", "src", "src/x");
        assertThat(walk(tree, md("exclude-patterns", "src", "override-excludes", "true")))
                .containsExactly("Dockerfile", "app.log", "keep.log");
        assertThat(walk(ContextTree.of(dir, null), md("exclude-patterns", "*.log")))
                .containsExactly("Dockerfile", "src", "src/x");
    }
}
