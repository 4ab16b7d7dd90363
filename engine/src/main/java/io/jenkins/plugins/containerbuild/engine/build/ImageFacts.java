package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Size and layer count of an image, from {@code GET /images/{id}/json}.
 *
 * @param sizeBytes the image's size
 * @param layers    the number of layers in its root filesystem
 */
public record ImageFacts(long sizeBytes, int layers) {

    /** Inspects {@code imageId}; unknown facts are zero. */
    public static ImageFacts inspect(DaemonClient daemon, String imageId) {
        JsonValue n = daemon.getJson("/images/" + URLEncoder.encode(imageId, StandardCharsets.UTF_8) + "/json");
        if (n == null) {
            return new ImageFacts(0, 0);
        }
        return new ImageFacts(
                n.path("Size").asLong(0), n.path("RootFS").path("Layers").size());
    }
}
