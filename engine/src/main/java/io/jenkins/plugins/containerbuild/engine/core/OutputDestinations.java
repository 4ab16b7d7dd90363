package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks, before the build, that each output sent to this machine can be written where it is asked to go. A file
 * output replaces an existing file (as buildx does); a {@code local} output needs a directory that does not exist
 * yet or is empty, because it is moved into place whole and never merged into an older tree.
 */
final class OutputDestinations {
    private static final String OPTION = "outputs";

    private OutputDestinations() {}

    static void check(List<BuildOutput> outputs) {
        Set<Path> seen = new HashSet<>();
        for (BuildOutput o : outputs) {
            if (!o.toClient()) {
                continue;
            }
            Path dest = o.dest().toAbsolutePath().normalize();
            if (!seen.add(dest)) {
                throw new InvalidBuildContextException(
                        OPTION, "'" + o + "': two outputs go to " + dest + "; give each its own dest");
            }
            if (o.type() == BuildOutput.Type.LOCAL) {
                checkDirectory(o, dest);
            } else if (Files.isDirectory(dest)) {
                throw new InvalidBuildContextException(
                        OPTION,
                        "'" + o + "': " + dest + " is a directory; type="
                                + o.type().exporter() + " writes one file, name the file (e.g. dest="
                                + dest.resolve("image.tar") + ")");
            }
            checkParent(o, dest);
        }
    }

    private static void checkDirectory(BuildOutput o, Path dest) {
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidBuildContextException(
                    OPTION, "'" + o + "': " + dest + " exists and is not a directory; type=local needs a directory");
        }
        if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> entries = Files.list(dest)) {
                if (entries.findAny().isPresent()) {
                    throw new InvalidBuildContextException(
                            OPTION,
                            "'" + o + "': " + dest + " already exists and is not empty; remove it first or name a new"
                                    + " directory (a local output is written whole, never merged into an older tree)");
                }
            } catch (IOException e) {
                throw new InvalidBuildContextException(
                        OPTION, "'" + o + "': cannot read " + dest + ": " + e.getMessage());
            }
        }
    }

    /** The nearest existing ancestor must be a directory this user can write in. */
    private static void checkParent(BuildOutput o, Path dest) {
        Path p = dest.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new InvalidBuildContextException(
                    OPTION, "'" + o + "': cannot be written: " + p + " is not a directory");
        }
        if (!Files.isWritable(p)) {
            throw new InvalidBuildContextException(
                    OPTION, "'" + o + "': cannot be written: this user may not write in " + p);
        }
    }
}
