package io.jenkins.plugins.containerbuild.validation;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks image references (tags, cache sources) with the engine's own rules, for form validation on
 * the controller. The engine checks references only when it makes a {@link BuildContext} (its
 * reference grammar is not public API), and a context needs a directory with a Dockerfile, so the
 * check makes an empty one in a temporary directory and removes it again.
 */
public final class ImageReferenceCheck {
    private ImageReferenceCheck() {
    }

    /**
     * Checks {@code tags}.
     *
     * @throws InvalidBuildContextException naming the first invalid reference
     */
    public static void tags(List<String> tags) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("container-build-check");
            Files.createFile(dir.resolve("Dockerfile"));
            BuildContext.builder().contextDir(dir).tags(tags).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("Dockerfile"));
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a leftover empty temporary directory is harmless
                }
            }
        }
    }
}
