package io.jenkins.plugins.containerbuild.engine.session.content;

import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A build cache in an OCI image layout directory on this machine, as BuildKit's local cache exporter writes it and its
 * importer reads it: blobs under {@code blobs/sha256/HEX}, and {@code index.json} naming each cache manifest by its
 * tag ({@code org.opencontainers.image.ref.name}).
 *
 * <p>An export is all or nothing: blobs arrive through hidden ingest files and are moved into place once their digest
 * is verified; {@link #tag} then names the new cache and removes the blobs no tag reaches any more (so the directory
 * does not grow from build to build); {@link #rollBack} removes what a build that failed added.
 */
public final class OciLayoutStore {
    /** The annotation an OCI layout's index names its images by. */
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private static final Pattern DIGEST = Pattern.compile("sha256:([0-9a-f]{64})");
    private static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

    private final Path root;
    private final boolean writable;
    private final boolean existed;
    private final Set<Path> added = ConcurrentHashMap.newKeySet();
    private Path ingest;

    private OciLayoutStore(Path root, boolean writable) {
        this.root = root.toAbsolutePath().normalize();
        this.writable = writable;
        this.existed = Files.exists(this.root);
    }

    /** A cache to read: {@code cacheFrom: 'type=local,src=DIR'}. */
    public static OciLayoutStore forImport(Path root) {
        return new OciLayoutStore(root, false);
    }

    /** A cache to write: {@code cacheTo: 'type=local,dest=DIR'}; the directory is made when the first blob comes. */
    public static OciLayoutStore forExport(Path root) {
        return new OciLayoutStore(root, true);
    }

    /** The layout's directory, absolute. */
    public Path root() {
        return root;
    }

    /** Whether blobs may be written. */
    public boolean writable() {
        return writable;
    }

    /** The size of a blob, or -1 when this store does not hold it. */
    public long size(String digest) {
        Path blob = blob(digest);
        try {
            return Files.isRegularFile(blob) ? Files.size(blob) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The file of a blob.
     *
     * @throws IllegalArgumentException for anything but a {@code sha256:} digest of 64 hex digits
     */
    public Path blob(String digest) {
        var m = DIGEST.matcher(digest == null ? "" : digest);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return root.resolve("blobs").resolve("sha256").resolve(m.group(1));
    }

    /** A new, empty, hidden file to receive a blob in. */
    synchronized Path newIngestFile() throws IOException {
        if (!writable) {
            throw new IOException(root + " is a cache to read, not to write");
        }
        if (ingest == null) {
            Files.createDirectories(root);
            ingest = Files.createDirectory(root.resolve(".ingest-" + UUID.randomUUID()));
        }
        return Files.createFile(ingest.resolve(UUID.randomUUID().toString()));
    }

    /**
     * Moves a received blob, whose digest was verified, into place.
     *
     * @return false when the store held it already (the received file is deleted)
     */
    boolean commit(Path received, String digest) throws IOException {
        Path target = blob(digest);
        Files.createDirectories(target.getParent());
        try {
            Files.move(received, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(received);
            return false;
        }
        added.add(target);
        return true;
    }

    /**
     * The digest {@code index.json} gives a tag, if the directory holds a cache by that tag.
     *
     * @throws IOException when {@code index.json} cannot be read
     */
    public Optional<String> taggedDigest(String tag) throws IOException {
        Path index = root.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            return Optional.empty();
        }
        for (JsonValue m : Json.parse(Files.readString(index)).path("manifests")) {
            if (m.path("annotations").path(REF_NAME).asText("").equals(tag)) {
                return Optional.of(m.path("digest").asText());
            }
        }
        return Optional.empty();
    }

    /**
     * Names a cache manifest by {@code tag} in {@code index.json} (replacing what had that tag), then removes the
     * blobs that no manifest of the index reaches any more.
     *
     * @param descriptorJson the cache manifest's OCI descriptor, as BuildKit reports it
     */
    @SuppressWarnings("unchecked")
    void tag(String tag, String descriptorJson) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>((Map<String, Object>) Json.parsePlain(descriptorJson));
        if (size(String.valueOf(entry.get("digest"))) < 0) {
            throw new IOException(
                    "the builder named cache manifest " + entry.get("digest") + ", which is not in " + root);
        }
        entry.put("annotations", Map.of(REF_NAME, tag));
        Path indexFile = root.resolve("index.json");
        List<Object> manifests = new ArrayList<>();
        if (Files.isRegularFile(indexFile)) {
            Object old = ((Map<String, Object>) Json.parsePlain(Files.readString(indexFile))).get("manifests");
            for (Object m : old instanceof List<?> l ? l : List.of()) {
                Object annotations = m instanceof Map<?, ?> mm ? mm.get("annotations") : null;
                if (!(annotations instanceof Map<?, ?> a && tag.equals(a.get(REF_NAME)))) {
                    manifests.add(m);
                }
            }
        }
        manifests.add(entry);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX_MEDIA_TYPE);
        index.put("manifests", manifests);
        writeAtomically(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        writeAtomically(indexFile, Json.write(index));
        added.clear();
        removeUnreachable(manifests);
    }

    /** Removes what this store added and the ingest files; the directory too when this store made it. */
    void rollBack() {
        for (Path p : added) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort: a blob left behind is unreferenced, and the next export removes it
            }
        }
        added.clear();
        finish();
        if (!existed && writable) {
            deleteEmptyDirectories(root);
        }
    }

    /** Removes the ingest files. */
    synchronized void finish() {
        if (ingest != null) {
            deleteTree(ingest);
            ingest = null;
        }
    }

    private void removeUnreachable(List<Object> roots) throws IOException {
        Set<String> reachable = new HashSet<>();
        Deque<Object> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            if (!(todo.pop() instanceof Map<?, ?> d) || !(d.get("digest") instanceof String digest)) {
                continue;
            }
            if (!reachable.add(digest) || !isJsonManifest(String.valueOf(d.get("mediaType")))) {
                continue;
            }
            Path blob = blob(digest);
            if (Files.isRegularFile(blob)
                    && Json.parsePlain(Files.readString(blob, StandardCharsets.UTF_8)) instanceof Map<?, ?> m) {
                for (String key : List.of("manifests", "layers")) {
                    if (m.get(key) instanceof List<?> l) {
                        todo.addAll(l);
                    }
                }
                if (m.get("config") != null) {
                    todo.add(m.get("config"));
                }
            }
        }
        Path dir = root.resolve("blobs").resolve("sha256");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(dir)) {
            for (Path b : blobs) {
                String name = b.getFileName().toString();
                if (DIGEST.matcher("sha256:" + name).matches() && !reachable.contains("sha256:" + name)) {
                    Files.deleteIfExists(b);
                }
            }
        }
    }

    private static boolean isJsonManifest(String mediaType) {
        return mediaType.endsWith("index.v1+json")
                || mediaType.endsWith("manifest.v1+json")
                || mediaType.endsWith("manifest.list.v2+json")
                || mediaType.endsWith("manifest.v2+json");
    }

    private void writeAtomically(Path file, String text) throws IOException {
        Path tmp = root.resolve("." + file.getFileName() + "." + UUID.randomUUID());
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: the ingest directory is hidden and its name is unique
        }
    }

    private static void deleteEmptyDirectories(Path dir) {
        for (Path p : List.of(dir.resolve("blobs").resolve("sha256"), dir.resolve("blobs"), dir)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty: something else lives there
            }
        }
    }
}
