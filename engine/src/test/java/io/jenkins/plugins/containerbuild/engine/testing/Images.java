package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** TEST-ONLY: image export and byte searches, to prove where a secret is NOT. */
public final class Images {
    private Images() {}

    /**
     * Exports an image ({@code GET /images/{name}/get}) and calls {@code visitor} with (path, bytes) for every
     * entry of the outer tar and, for every tar inside it (the layers, gzip-compressed or not), every entry
     * inside that ({@code layer.tar!/etc/passwd}).
     */
    public static void walk(String name, BiConsumer<String, byte[]> visitor) throws IOException {
        try (DaemonClient c = Daemon.client();
                DaemonResponse r = c.stream(
                        DaemonClient.Method.GET,
                        "/images/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/get",
                        null,
                        Map.of())) {
            walkTar("", r.body(), visitor);
        }
    }

    private static void walkTar(String prefix, InputStream in, BiConsumer<String, byte[]> visitor) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
            byte[] content = e.isFile() ? tar.readAllBytes() : new byte[0];
            String path = prefix + e.getName();
            visitor.accept(path, content);
            if (e.isFile() && looksLikeGzip(content)) {
                // The containerd image store exports its layers compressed (OCI layout, blobs/sha256/...).
                content = new GZIPInputStream(new ByteArrayInputStream(content)).readAllBytes();
            }
            if (e.isFile() && looksLikeTar(content)) {
                walkTar(path + "!/", new ByteArrayInputStream(content), visitor);
            }
        }
    }

    private static boolean looksLikeGzip(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    private static boolean looksLikeTar(byte[] b) {
        return b.length >= 512 && new String(b, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    /** A GET's raw JSON answer, e.g. {@code /images/{id}/json} or {@code /images/{id}/history}. */
    public static byte[] getRaw(String path) throws IOException {
        try (DaemonClient c = Daemon.client();
                DaemonResponse r = c.stream(DaemonClient.Method.GET, path, null, Map.of())) {
            return r.body().readAllBytes();
        }
    }

    /**
     * The places under an exported image, its config and history, and the given files/directories whose bytes
     * hold any of the needles. Also returns how many layer entries were looked at as {@code layerEntries[0]}.
     */
    public static List<String> placesHolding(String image, List<byte[]> needles, List<Path> written, int[] layerEntries)
            throws IOException {
        List<String> found = new ArrayList<>();
        walk(image, (path, bytes) -> {
            if (path.contains("!/")) {
                layerEntries[0]++;
            }
            for (byte[] n : needles) {
                if (indexOf(bytes, n) >= 0) {
                    found.add("image " + path);
                }
            }
        });
        for (String what : List.of("json", "history")) {
            byte[] doc = getRaw("/images/" + URLEncoder.encode(image, StandardCharsets.UTF_8) + "/" + what);
            for (byte[] n : needles) {
                if (indexOf(doc, n) >= 0) {
                    found.add("image " + what);
                }
            }
        }
        for (byte[] n : needles) {
            found.addAll(SecretScan.filesHolding(written, n).stream()
                    .filter(f -> !found.contains(f))
                    .toList());
        }
        return found;
    }

    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The entry names of a tar file, in order. */
    public static List<String> tarEntries(Path tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tar);
                TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
