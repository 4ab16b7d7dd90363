package io.jenkins.plugins.containerbuild.validation;

import io.jenkins.plugins.containerbuild.engine.api.ImageReference;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.List;

/** Checks image references (tags, cache sources) with the engine's own parser, for form validation. */
public final class ImageReferenceCheck {
    private ImageReferenceCheck() {}

    /**
     * Checks {@code tags}.
     *
     * @throws InvalidBuildContextException naming the first invalid reference
     */
    public static void tags(List<String> tags) {
        for (String tag : tags) {
            ImageReference.parse("tags", tag);
        }
    }
}
