package io.jenkins.plugins.containerbuild.engine.session.filesend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outputs as they arrive: each is written to a hidden sibling of its destination and moved into place only when the
 * whole build succeeded, so a failed, cancelled or half-sent build leaves nothing behind.
 */
final class OutputStaging implements AutoCloseable {
    private final Set<Path> parts = ConcurrentHashMap.newKeySet();
    private final Map<OutputTarget, Path> complete = new ConcurrentHashMap<>();
    /** A directory output's one staged tree, which every call for it writes into. */
    private final Map<OutputTarget, Path> trees = new ConcurrentHashMap<>();
    /** Calls still sending, per directory output. */
    private final Map<OutputTarget, Integer> sending = new ConcurrentHashMap<>();

    /**
     * A hidden path beside {@code target}'s destination, removed again unless committed: a new file for each call of
     * a file output; for a directory output one tree, created by the first call, shared by the others (BuildKit v0.13
     * sends each platform of a multi-platform {@code local} output as its own call, into its own subdirectory).
     */
    synchronized Path newPart(OutputTarget target) throws IOException {
        Path dest = target.dest();
        Files.createDirectories(dest.getParent());
        if (target.directory()) {
            Path tree = trees.get(target);
            if (tree == null) {
                tree = dest.resolveSibling("." + dest.getFileName() + ".partial-" + UUID.randomUUID());
                Files.createDirectory(tree);
                trees.put(target, tree);
                parts.add(tree);
            }
            sending.merge(target, 1, Integer::sum);
            return tree;
        }
        Path part = dest.resolveSibling("." + dest.getFileName() + ".partial-" + UUID.randomUUID());
        parts.add(part);
        return part;
    }

    /** {@code part} holds all that one call sent for {@code target}. */
    synchronized void completed(OutputTarget target, Path part) {
        if (target.directory()) {
            sending.merge(target, -1, Integer::sum);
            complete.put(target, part);
            return;
        }
        Path earlier = complete.put(target, part);
        if (earlier != null) {
            delete(earlier);
        }
    }

    /** Removes a part that will not be completed (for a directory output: the whole tree, so the build fails). */
    synchronized void discard(Path part) {
        delete(part);
        trees.values().remove(part);
        complete.values().remove(part);
    }

    /**
     * Moves every completed output into place.
     *
     * @throws IOException when one of {@code expected} never arrived, or cannot be moved into place
     */
    synchronized void commit(Iterable<OutputTarget> expected) throws IOException {
        Map<OutputTarget, Path> moves = new LinkedHashMap<>();
        for (OutputTarget t : expected) {
            Path part = complete.get(t);
            if (part == null || sending.getOrDefault(t, 0) > 0) {
                throw new IOException("the builder did not send the output for " + t.dest());
            }
            moves.put(t, part);
        }
        for (Map.Entry<OutputTarget, Path> m : moves.entrySet()) {
            Path dest = m.getKey().dest();
            try {
                if (m.getKey().directory()) {
                    // Checked before the build to be missing or empty; an empty directory gives way to the tree.
                    Files.deleteIfExists(dest);
                    Files.move(m.getValue(), dest, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.move(m.getValue(), dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                throw new IOException("cannot move the output into " + dest + " (" + e + ")", e);
            }
            parts.remove(m.getValue());
            complete.remove(m.getKey());
            trees.remove(m.getKey());
        }
    }

    /** Removes every part not moved into place. */
    @Override
    public synchronized void close() {
        for (Path p : parts) {
            delete(p);
        }
        complete.clear();
        trees.clear();
        sending.clear();
    }

    private void delete(Path part) {
        parts.remove(part);
        try {
            if (Files.isDirectory(part, LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(part, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        // A tree may hold read-only directories (their modes are applied last).
                        dir.toFile().setWritable(true, true);
                        dir.toFile().setExecutable(true, true);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        if (e != null) {
                            throw e;
                        }
                        Files.delete(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } else {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the partial output " + part, e);
        }
    }
}
