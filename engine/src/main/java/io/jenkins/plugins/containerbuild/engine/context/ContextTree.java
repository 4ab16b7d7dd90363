package io.jenkins.plugins.containerbuild.engine.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A directory as a sequence of entries, walked with the same walker and filter as the context tar, for
 * senders other than the tar (the BuildKit file sync). Entries come depth-first, each directory's entries
 * sorted by the UTF-8 bytes of their names, a directory before its contents; symbolic links are reported as
 * links and never followed; sockets, FIFOs and devices are left out.
 */
public final class ContextTree {
    private final Path root;
    private final DockerIgnore rules; // null: no rules of its own
    private final Set<String> skipped;

    ContextTree(Path root, DockerIgnore rules, Set<String> skipped) {
        this.root = Objects.requireNonNull(root, "root");
        this.rules = rules;
        this.skipped = Set.copyOf(skipped);
    }

    /**
     * A directory with its own rules.
     *
     * @param root  the directory
     * @param rules what to leave out; null for nothing
     */
    public static ContextTree of(Path root, DockerIgnore rules) {
        return new ContextTree(root, rules, Set.of());
    }

    /** The directory walked. */
    public Path root() {
        return root;
    }

    /** The tree's own rules (for a build context: its .dockerignore, keeping the Dockerfile and .dockerignore). */
    public Optional<DockerIgnore> rules() {
        return Optional.ofNullable(rules);
    }

    /**
     * Walks the tree.
     *
     * @param filters rule sets to apply, all of them (an entry is kept when none excludes it); the tree's own
     *                rules are not added: pass {@link #rules()} among them when they apply
     * @param visitor receives each kept entry
     * @throws IOException when a directory or an entry's attributes cannot be read, or the visitor fails
     */
    public void walk(List<DockerIgnore> filters, Visitor visitor) throws IOException {
        walker(new ArrayList<>(filters)).walk(item -> visitor.visit(node(item)));
    }

    ContextWalker walker(List<DockerIgnore> filters) {
        return new ContextWalker(root, filters, skipped);
    }

    private static Node node(ArchiveItem item) {
        ContextArchive.Entry e = item.entry();
        long size = switch (e.type()) {
            case FILE -> e.size();
            case SYMLINK -> e.linkTarget().getBytes(StandardCharsets.UTF_8).length; // lstat's size of a link
            case DIRECTORY -> 0;
        };
        return new Node(e.name(), e.type(), item.mode(), size, item.mtimeNanos(), e.linkTarget(), item.source());
    }

    /** Receives the entries of a walk. */
    @FunctionalInterface
    public interface Visitor {
        void visit(Node node) throws IOException;
    }

    /**
     * One entry.
     *
     * @param path       '/'-separated, relative to the root, never empty
     * @param type       file, directory or symbolic link
     * @param mode       the permission bits with setuid (04000), setgid (02000) and sticky (01000)
     * @param size       a file's length, a link's target length in bytes, 0 for a directory
     * @param mtimeNanos modification time in nanoseconds since the epoch (of the link itself for a link)
     * @param linkTarget a link's target as stored; null otherwise
     * @param source     the file to read a regular file's contents from; null otherwise
     */
    public record Node(
            String path,
            ContextArchive.Entry.Type type,
            int mode,
            long size,
            long mtimeNanos,
            String linkTarget,
            Path source) {}
}
