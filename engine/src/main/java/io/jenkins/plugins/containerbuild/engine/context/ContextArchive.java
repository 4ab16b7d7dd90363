package io.jenkins.plugins.containerbuild.engine.context;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The build context as the tar the Docker Engine API takes as the body of {@code POST /build}.
 *
 * <p>Holds no file data: {@link #writeTo} walks the context directory and streams it each time it is called.
 * The tar holds what {@code .dockerignore} keeps, plus always the Dockerfile and {@code .dockerignore}
 * themselves (as the docker CLI sends them). Entries come depth-first in name order, a directory before its
 * contents; symbolic links are archived as links and never followed, so nothing outside the context
 * directory is read, except the Dockerfile when it lies outside: that one is added at the end under a
 * generated name, and its name is appended to the archived {@code .dockerignore} (created when missing) so
 * that {@code COPY .} leaves it out of the image, as the docker CLI does.
 */
public final class ContextArchive {
    private static final String GENERATED_PREFIX = ".container-build-dockerfile-";

    private final Path root;
    private final ContextTree tree;
    private final ContextTree syncTree;
    private final ContextWalker walker;
    private final String dockerfileName;
    private final Path externalDockerfile; // null when the Dockerfile is inside the context
    private final boolean dockerfileIgnored;
    private final Path realDockerfile;

    private ContextArchive(
            ContextTree tree,
            ContextTree syncTree,
            String dockerfileName,
            Path realDockerfile,
            Path externalDockerfile,
            boolean dockerfileIgnored) {
        this.realDockerfile = realDockerfile;
        this.root = tree.root();
        this.tree = tree;
        this.syncTree = syncTree;
        this.walker = tree.walker(List.of(tree.rules().orElseThrow()));
        this.dockerfileName = dockerfileName;
        this.externalDockerfile = externalDockerfile;
        this.dockerfileIgnored = dockerfileIgnored;
    }

    /**
     * Prepares the archive of a build context as the docker CLI sends it to the classic builder (and Podman):
     * reads {@code .dockerignore} and places the Dockerfile; the Dockerfile and {@code .dockerignore} are always
     * in the tar, and the daemon itself drops the ones {@code .dockerignore} excludes.
     *
     * @param ctx the build
     * @return the archive, ready to be written any number of times
     * @throws IOException when {@code .dockerignore} cannot be read or is malformed, or the Dockerfile cannot
     *         be resolved
     */
    public static ContextArchive of(BuildContext ctx) throws IOException {
        return of(ctx, true);
    }

    /**
     * Prepares the archive of a build context for BuildKit, which reads the Dockerfile from the tar but not
     * {@code .dockerignore} and copies everything else the tar holds: so {@code .dockerignore} is in the tar
     * only when it does not exclude itself. See {@link #dockerfileLandsInImage()} for the Dockerfile.
     *
     * @param ctx the build
     * @return the archive, ready to be written any number of times
     * @throws IOException when {@code .dockerignore} cannot be read or is malformed, or the Dockerfile cannot
     *         be resolved
     */
    public static ContextArchive forBuildKit(BuildContext ctx) throws IOException {
        return of(ctx, false);
    }

    private static ContextArchive of(BuildContext ctx, boolean keepIgnoreFile) throws IOException {
        Path root = ctx.contextDir();
        DockerIgnore own = DockerIgnore.load(root);
        DockerIgnore rules = keepIgnoreFile ? own.keeping(DockerIgnore.FILE_NAME) : own;
        ContextTree syncTree = ContextTree.of(root, own);
        // Judge inside/outside by real paths, as the CLI does: a Dockerfile reached through a link that leaves
        // the context is outside, one reached through a link within it is archived under its real path.
        Path realRoot = root.toRealPath();
        Path realDockerfile = ctx.dockerfile().toRealPath();
        if (realDockerfile.startsWith(realRoot)) {
            String name = slashed(realRoot.relativize(realDockerfile));
            return new ContextArchive(
                    new ContextTree(root, rules.keeping(name), Set.of()),
                    syncTree,
                    name,
                    realDockerfile,
                    null,
                    own.excludes(name));
        }
        String name = generatedName(ctx.dockerfile());
        return new ContextArchive(
                new ContextTree(root, rules, Set.of(name)), syncTree, name, realDockerfile, realDockerfile, true);
    }

    /**
     * The context directory's entries as {@code .dockerignore} selects them, without the Dockerfile or
     * {@code .dockerignore} when it excludes them and without the generated Dockerfile an outside one adds:
     * what the file sync serves (BuildKit reads the Dockerfile from its own folder there).
     */
    public ContextTree tree() {
        return syncTree;
    }

    /** The Dockerfile's real path (links resolved), resolved once when the archive was prepared. */
    public Path dockerfileRealPath() {
        return realDockerfile;
    }

    /**
     * Whether the tar holds a Dockerfile that {@code COPY .} must not copy: one {@code .dockerignore} excludes,
     * or one from outside the context. The classic builder drops it itself; BuildKit, reading the Dockerfile
     * from the tar, would copy it into the image, so such a build goes over the file sync.
     */
    public boolean dockerfileLandsInImage() {
        return dockerfileIgnored;
    }

    /**
     * The Dockerfile's path inside the archive, '/'-separated: what the build request's {@code dockerfile}
     * parameter names. A Dockerfile outside the context directory gets a name like
     * {@code .container-build-dockerfile-0123456789ab}, from the SHA-256 of its absolute path, so it is the
     * same from one build to the next.
     */
    public String dockerfileName() {
        return dockerfileName;
    }

    /**
     * Streams the archive as a tar into {@code out}, which is flushed and left open.
     *
     * @param out where the tar goes
     * @return the number of bytes written to {@code out}
     * @throws IOException when writing fails or a file cannot be read; the message names the file
     */
    public long writeTo(OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(Objects.requireNonNull(out, "out"));
        forEachItem(tar::write);
        return tar.finish();
    }

    /**
     * Lists what {@link #writeTo} would write, in the same order, without reading any file's contents.
     *
     * @return the entries; a directory's name has no trailing '/'
     * @throws IOException when the context directory cannot be walked
     */
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        forEachItem(item -> out.add(item.entry()));
        return out;
    }

    /**
     * Tells whether the archive holds at most {@code maxEntries} entries and {@code maxBytes} bytes of file
     * contents. Reads attributes only, never contents, and stops at the first entry past either limit, so it
     * costs a few stats even on a huge context.
     *
     * @throws IOException when the context directory cannot be walked
     */
    public boolean fitsWithin(long maxBytes, int maxEntries) throws IOException {
        long[] seen = {0, 0}; // entries, bytes
        try {
            forEachItem(item -> {
                seen[0]++;
                seen[1] += item.entry().size();
                if (seen[0] > maxEntries || seen[1] > maxBytes) {
                    throw LimitReached.INSTANCE;
                }
            });
            return true;
        } catch (LimitReached stop) {
            return false;
        }
    }

    /** Ends a walk early; carries no stack trace, it is control flow. */
    private static final class LimitReached extends IOException {
        static final LimitReached INSTANCE = new LimitReached();

        private LimitReached() {
            super("limit reached", null);
            setStackTrace(new StackTraceElement[0]);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private void forEachItem(ContextWalker.Sink sink) throws IOException {
        if (externalDockerfile == null) {
            walker.walk(sink);
            return;
        }
        byte[] ignoreLine = ("\n" + dockerfileName + "\n").getBytes(StandardCharsets.UTF_8);
        boolean[] sawIgnoreFile = {false};
        walker.walk(item -> {
            if (item.entry().name().equals(DockerIgnore.FILE_NAME)
                    && item.entry().type() == Entry.Type.FILE) {
                sawIgnoreFile[0] = true;
                item = item.withTrailer(ignoreLine);
            }
            sink.accept(item);
        });
        // After the walk, as the CLI appends them: the Dockerfile, then a .dockerignore when the context has none.
        FileMeta meta = dockerfileMeta();
        sink.accept(ArchiveItem.of(dockerfileName, meta, externalDockerfile, null));
        if (!sawIgnoreFile[0]) {
            byte[] body = (DockerIgnore.FILE_NAME + "\n" + dockerfileName + "\n").getBytes(StandardCharsets.UTF_8);
            sink.accept(new ArchiveItem(
                    new Entry(DockerIgnore.FILE_NAME, Entry.Type.FILE, body.length, null),
                    0644,
                    meta.mtimeNanos(),
                    null,
                    body));
        }
    }

    private FileMeta dockerfileMeta() throws IOException {
        FileMeta meta = FileMeta.read(externalDockerfile);
        if (meta.kind() != FileMeta.Kind.FILE) {
            throw new IOException("the Dockerfile " + externalDockerfile + " is not a regular file");
        }
        return meta;
    }

    private static String generatedName(Path dockerfile) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(dockerfile.toString().getBytes(StandardCharsets.UTF_8));
            return GENERATED_PREFIX + HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String slashed(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    @Override
    public String toString() {
        return "ContextArchive{root=" + root + ", dockerfile=" + dockerfileName + "}";
    }

    /**
     * One entry of the archive.
     *
     * @param name its '/'-separated path inside the archive (no trailing '/' for a directory)
     * @param type what it is
     * @param size the bytes of a file's body; 0 for directories and links
     * @param linkTarget a symbolic link's target exactly as stored in the link; null for other types
     */
    public record Entry(String name, Type type, long size, String linkTarget) {
        /** Checks the fields agree with the type. */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (size < 0 || (type != Type.FILE && size != 0)) {
                throw new IllegalArgumentException("size " + size + " for " + type + " " + name);
            }
            if ((type == Type.SYMLINK) != (linkTarget != null)) {
                throw new IllegalArgumentException("a link target belongs to symbolic links only: " + name);
            }
        }

        /** The kinds of entries the archive holds. */
        public enum Type {
            /** A regular file with its contents. */
            FILE,
            /** A directory. */
            DIRECTORY,
            /** A symbolic link, stored as a link. */
            SYMLINK
        }
    }
}
