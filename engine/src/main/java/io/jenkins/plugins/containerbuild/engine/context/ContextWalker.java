package io.jenkins.plugins.containerbuild.engine.context;

import java.io.IOException;
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
    private final DockerIgnore rules;
    private final Set<String> skipped;

    /**
     * @param root the context directory
     * @param rules the rules to apply
     * @param skipped relative paths never to walk (names the archive writes itself)
     */
    ContextWalker(Path root, DockerIgnore rules, Set<String> skipped) {
        this.root = root;
        this.rules = rules;
        this.skipped = Set.copyOf(skipped);
    }

    void walk(Sink sink) throws IOException {
        walkDirectory(root, "", null, new ArrayList<>(), sink);
    }

    private void walkDirectory(Path dir, String rel, boolean[] dirState, List<ArchiveItem> pending, Sink sink)
            throws IOException {
        for (String name : sortedNames(dir)) {
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            if (skipped.contains(childRel)) {
                continue;
            }
            Path child = dir.resolve(name);
            FileMeta meta = FileMeta.read(child);
            if (meta.kind() == FileMeta.Kind.OTHER) {
                continue;
            }
            boolean[] state = rules.matchState(childRel, dirState);
            boolean isDir = meta.kind() == FileMeta.Kind.DIRECTORY;
            if (rules.excluded(state)) {
                if (isDir && rules.mayReincludeBelow(childRel)) {
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

    // Names only, and the stream closed before descending, so a deep tree holds one open directory at a time.
    private static List<String> sortedNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new IOException("cannot read the directory " + dir + ": " + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }
}
