package io.jenkins.plugins.containerbuild.engine.session.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI layout a local cache export writes: verified blobs, index.json by tag, unreachable blobs removed. */
class OciLayoutStoreTest {
    @Test
    void taggingACacheKeepsWhatItReachesAndDropsTheRest(@TempDir Path dir) throws Exception {
        OciLayoutStore store = OciLayoutStore.forExport(dir.resolve("cache"));
        String layer = put(store, "layer-bytes");
        String config = put(store, "{\"layers\":[]}");
        String index = put(
                store,
                "{\"schemaVersion\":2,\"manifests\":[" + desc("application/vnd.oci.image.layer.v1.tar+gzip", layer)
                        + "," + desc("application/vnd.buildkit.cacheconfig.v0", config) + "]}");
        String stale = put(store, "an old layer");
        store.tag("latest", desc("application/vnd.oci.image.index.v1+json", index));

        assertThat(store.taggedDigest("latest")).contains(index);
        assertThat(store.size(layer)).isEqualTo("layer-bytes".length());
        assertThat(store.size(config)).isPositive();
        assertThat(store.size(stale)).as("reached by no tag").isEqualTo(-1);
        assertThat(Files.readString(dir.resolve("cache/oci-layout"))).contains("imageLayoutVersion");

        // Another tag keeps the first; rolling back after tagging removes nothing tagged.
        String other = put(store, "{\"schemaVersion\":2,\"manifests\":[]}");
        store.tag("other", desc("application/vnd.oci.image.index.v1+json", other));
        store.rollBack();
        assertThat(store.taggedDigest("latest")).contains(index);
        assertThat(store.taggedDigest("other")).contains(other);
        assertThat(store.size(layer)).isPositive();
    }

    @Test
    void aRollBackRemovesWhatTheBuildAddedAndTheDirectoryItMade(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("fresh");
        OciLayoutStore store = OciLayoutStore.forExport(root);
        put(store, "a");
        Path ingest = store.newIngestFile();
        assertThat(ingest.getFileName().toString()).doesNotStartWith(".");
        assertThat(ingest.getParent().getFileName().toString()).startsWith(".ingest-");
        store.rollBack();
        assertThat(root).doesNotExist();

        Path kept = Files.createDirectories(dir.resolve("kept"));
        OciLayoutStore existing = OciLayoutStore.forExport(kept);
        String a = put(existing, "b");
        existing.rollBack();
        assertThat(existing.size(a)).isEqualTo(-1);
        assertThat(kept).isDirectory();
    }

    @Test
    void aManifestTheStoreDoesNotHoldIsNotTaggedAndBadDigestsAreRefused(@TempDir Path dir) throws Exception {
        OciLayoutStore store = OciLayoutStore.forExport(dir);
        String missing = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> store.tag("latest", desc("application/vnd.oci.image.index.v1+json", missing)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not in " + dir);
        assertThat(dir.resolve("index.json")).doesNotExist();
        assertThatThrownBy(() -> store.blob("sha256:../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OciLayoutStore.forImport(dir).newIngestFile())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not to write");
    }

    private static String put(OciLayoutStore store, String content) throws Exception {
        Path f = store.newIngestFile();
        Files.writeString(f, content);
        String digest = "sha256:"
                + HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        store.commit(f, digest);
        return digest;
    }

    private static String desc(String mediaType, String digest) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":1}";
    }
}
