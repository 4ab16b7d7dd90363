package io.jenkins.plugins.containerbuild.engine.session.filesend;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one output the builder sends to this machine goes.
 *
 * @param dest      the file ({@code oci}, {@code docker}, {@code tar}) or directory ({@code local}) to create
 * @param directory whether the output is a tree of files rather than one file
 */
public record OutputTarget(Path dest, boolean directory) {
    public OutputTarget {
        dest = Objects.requireNonNull(dest, "dest").toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        return dest.toString();
    }
}
