package io.jenkins.plugins.containerbuild.engine.context;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks a context directory depth-first in name order, a directory before its contents, and hands each entry
 * that the .dockerignore rules keep to a sink. Symbolic links are reported as links and never followed;
 * sockets, FIFOs and devices are skipped.
 *
 * <p>An excluded directory is skipped whole unless an exception pattern might re-include something inside
 * it; then the walk descends, and the directory's own entry is written just before the first entry kept
 * below it (so re-included files keep their parents' modes, and a directory with nothing kept is left out).
 */
final class ContextWalker {
    /** Receives the kept entries in archive order. */
    interface Sink {
        void accept(ArchiveItem item) throws IOException;
    }

    private final Path root;
    private final List<DockerIgnore> rules;
    private final Set<String> skipped;

    /**
     * @param root the context directory
     * @param rules the rules to apply
     * @param skipped relative paths never to walk (names the archive writes itself)
     */
    ContextWalker(Path root, DockerIgnore rules, Set<String> skipped) {
        this(root, List.of(rules), skipped);
    }

    /**
     * @param rules several rule sets, all applied: an entry is kept only when no set excludes it
     */
    ContextWalker(Path root, List<DockerIgnore> rules, Set<String> skipped) {
        this.root = root;
        this.rules = List.copyOf(rules);
        this.skipped = Set.copyOf(skipped);
    }

    void walk(Sink sink) throws IOException {
        walkDirectory(root, "", null, new ArrayList<>(), sink);
    }

    private void walkDirectory(Path dir, String rel, boolean[][] dirState, List<ArchiveItem> pending, Sink sink)
            throws IOException {
        for (Path child : sortedChildren(dir)) {
            String name = child.getFileName().toString();
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            if (skipped.contains(childRel)) {
                continue;
            }
            FileMeta meta = FileMeta.read(child);
            if (meta.kind() == FileMeta.Kind.OTHER) {
                continue;
            }
            boolean[][] state = new boolean[rules.size()][];
            boolean excluded = false;
            boolean mayReinclude = true;
            for (int i = 0; i < state.length; i++) {
                DockerIgnore r = rules.get(i);
                state[i] = r.matchState(childRel, dirState == null ? null : dirState[i]);
                if (r.excluded(state[i])) {
                    excluded = true;
                    mayReinclude &= r.mayReincludeBelow(childRel);
                }
            }
            boolean isDir = meta.kind() == FileMeta.Kind.DIRECTORY;
            if (excluded) {
                if (isDir && mayReinclude) {
                    pending.add(item(childRel, child, meta));
                    walkDirectory(child, childRel, state, pending, sink);
                    if (!pending.isEmpty()) {
                        pending.remove(pending.size() - 1); // nothing below was kept: leave it out
                    }
                }
                continue;
            }
            if (meta.kind() == FileMeta.Kind.FILE && !Files.isReadable(child)) {
                throw new IOException("cannot read " + child + ": permission denied");
            }
            for (ArchiveItem parent : pending) {
                sink.accept(parent);
            }
            pending.clear();
            sink.accept(item(childRel, child, meta));
            if (isDir) {
                walkDirectory(child, childRel, state, pending, sink);
            }
        }
    }

    private static ArchiveItem item(String rel, Path path, FileMeta meta) throws IOException {
        String link = null;
        if (meta.kind() == FileMeta.Kind.SYMLINK) {
            try {
                link = Files.readSymbolicLink(path).toString();
            } catch (IOException e) {
                throw new IOException("cannot read the symbolic link " + path + ": " + e.getMessage(), e);
            }
        }
        return ArchiveItem.of(rel, meta, path, link);
    }

    // The stream closed before descending, so a deep tree holds one open directory at a time. The entries'
    // own paths are kept (a name turned into a String and resolved again may not name the same file).
    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(children::add);
        } catch (DirectoryIteratorException e) {
            throw new IOException(
                    "cannot read the directory " + dir + ": " + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            throw new IOException("cannot read the directory " + dir + ": " + e.getMessage(), e);
        }
        for (Path p : children) {
            String name = p.getFileName().toString();
            if (name.indexOf('\uFFFD') >= 0) {
                // Decoded with replacement characters: the archive would hold another name than the file's.
                throw new IOException("cannot represent the name of a file in " + dir + " ('" + name + "') in this"
                        + " JVM's file name encoding (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding")
                        + "); run it with a UTF-8 locale, e.g. LANG=C.UTF-8");
            }
        }
        // By the bytes of the UTF-8 names, as Go sorts them and as the file sync receiver checks the order.
        children.sort((a, b) ->
                compareUtf8(a.getFileName().toString(), b.getFileName().toString()));
        return children;
    }

    /** Orders strings by their UTF-8 bytes (differs from String.compareTo above U+D7FF). */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // Surrogates (supplementary code points, 4 UTF-8 bytes) sort after every BMP char.
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
