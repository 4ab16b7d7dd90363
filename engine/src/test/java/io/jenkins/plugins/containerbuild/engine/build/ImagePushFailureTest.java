package io.jenkins.plugins.containerbuild.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.registry.ImageName;
import org.junit.jupiter.api.Test;

/**
 * The message of a failed daemon push: Docker's distribution client names neither the layer nor the manifest, so the
 * part comes from the push stream's per-layer statuses (as dockerd 20.10 and 26.1 send them).
 */
class ImagePushFailureTest {
    private static final ImageName REF = ImageName.parse("127.0.0.1:40655/cb-test/x:1");

    @Test
    void theLayerThatFailedIsNamedWithItsAttemptsNotOneStillWaiting() {
        ImagePush.LayerProgress layers = new ImagePush.LayerProgress();
        layers.status("cccccccccccc", "Waiting");
        layers.status("f7d8717d2b1f", "Preparing");
        layers.status("aaaaaaaaaaaa", "Layer already exists");
        for (int attempt = 1; attempt <= 4; attempt++) {
            layers.status("f7d8717d2b1f", "Pushing");
            for (int s = attempt * 5; s > 0; s--) {
                layers.status("f7d8717d2b1f", "Retrying in " + s + " seconds");
            }
        }
        layers.status("f7d8717d2b1f", "Pushing");
        assertThat(ImagePush.failure(REF, "write tcp 127.0.0.1:1->127.0.0.1:40655: write: broken pipe", layers, false))
                .isEqualTo("pushing 127.0.0.1:40655/cb-test/x:1 to registry 127.0.0.1:40655 failed at the upload of"
                        + " layer f7d8717d2b1f (tried 5 times): write tcp 127.0.0.1:1->127.0.0.1:40655: write: broken"
                        + " pipe (is the registry at 127.0.0.1:40655 up and reachable from the daemon?)");
    }

    @Test
    void withoutRetriesTheLayerBeingPushedIsTheOneThatFailed() {
        ImagePush.LayerProgress layers = new ImagePush.LayerProgress();
        layers.status("cccccccccccc", "Waiting");
        layers.status("f7d8717d2b1f", "Pushing");
        assertThat(ImagePush.failure(REF, "connection reset by peer", layers, false))
                .startsWith("pushing 127.0.0.1:40655/cb-test/x:1 to registry 127.0.0.1:40655 failed at the upload of"
                        + " layer f7d8717d2b1f: connection reset by peer");
    }

    @Test
    void withEveryLayerPushedTheConfigOrManifestFailed() {
        ImagePush.LayerProgress layers = new ImagePush.LayerProgress();
        layers.status("f7d8717d2b1f", "Pushing");
        layers.status("f7d8717d2b1f", "Pushed");
        layers.status("bbbbbbbbbbbb", "Mounted from cb-test/other");
        assertThat(ImagePush.failure(REF, "unauthorized", layers, false))
                .isEqualTo("pushing 127.0.0.1:40655/cb-test/x:1 to registry 127.0.0.1:40655 failed at the upload of"
                        + " the image config or the manifest (every layer was pushed): unauthorized (the registry"
                        + " answered 401 Unauthorized: give registryAuth for 127.0.0.1:40655)");
    }

    @Test
    void thePartTheErrorNamesWinsAndWithoutAnyNothingIsGuessed() {
        ImagePush.LayerProgress layers = new ImagePush.LayerProgress();
        layers.status("6d539628b7d5", "Pushed");
        assertThat(ImagePush.failure(
                        REF,
                        "failed commit on ref \"manifest-sha256:96882975f91b854ff\": unexpected status from PUT request"
                                + " to http://127.0.0.1:40655/v2/cb-test/x/manifests/1: 500 Internal Server Error",
                        layers,
                        false))
                .startsWith("pushing 127.0.0.1:40655/cb-test/x:1 to registry 127.0.0.1:40655 failed at the manifest"
                        + " upload: failed commit on ref");
        assertThat(ImagePush.failure(REF, "manifest invalid", new ImagePush.LayerProgress(), false))
                .isEqualTo("pushing 127.0.0.1:40655/cb-test/x:1 to registry 127.0.0.1:40655 failed: manifest invalid");
    }
}
