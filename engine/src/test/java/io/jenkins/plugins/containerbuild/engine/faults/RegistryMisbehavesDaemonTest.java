package io.jenkins.plugins.containerbuild.engine.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.registry.RegistryException;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.MisbehavingRegistry;
import io.jenkins.plugins.containerbuild.engine.testing.MisbehavingRegistry.Fault;
import io.jenkins.plugins.containerbuild.engine.testing.Registries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that misbehaves while a Docker daemon pushes ({@code push: true} through the Engine API's
 * {@code /images/{name}/push}): it answers the manifest's {@code PUT} with 500 or with 401, or it drops the connection
 * in the middle of a blob upload. Each push fails with a {@link RegistryException} naming the registry and what
 * failed, no result is returned, nothing is reported pushed, and the real registry holds no manifest under the tag.
 * The registry is the real one on 127.0.0.1:5000 behind {@link MisbehavingRegistry}, a test double: a real registry
 * cannot be made to fail one request to order. (A registry that goes down for good is
 * {@code MultiPlatformDaemonTest.registryDownMidPushLeavesNothingTaggedLocally}.)
 */
@Tag("daemon")
class RegistryMisbehavesDaemonTest {
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    /**
     * Docker's distribution client (20.10, 26.1 overlay2) does not say which: the push stream shows every layer
     * pushed; the containerd store names the manifest.
     */
    private static final String CONFIG_OR_MANIFEST =
            "failed at (the upload of the image config or the manifest \\(every layer was pushed\\)|the manifest upload): ";

    @TempDir
    Path dir;

    @BeforeAll
    static void environment() {
        Daemon.assumeAvailable();
        Registries.assumeRegistry(Registries.OPEN);
    }

    @AfterAll
    static void cleanUp() {
        CREATED.forEach(Daemon::removeImage);
    }

    @Test
    void aManifestAnswered500FailsThePushNamingTheRegistryAndTheStatus() throws IOException {
        try (MisbehavingRegistry registry = new MisbehavingRegistry(5000, Fault.MANIFEST_500)) {
            RegistryException e = pushFails(registry, "m500");
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.getMessage())
                    .containsPattern(CONFIG_OR_MANIFEST)
                    .contains("500 Internal Server Error")
                    .contains("the registry answered 500, an error on its side");
        }
    }

    @Test
    void aManifestAnswered401FailsThePushAskingForCredentials() throws IOException {
        try (MisbehavingRegistry registry = new MisbehavingRegistry(5000, Fault.MANIFEST_401)) {
            RegistryException e = pushFails(registry, "m401");
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage())
                    .containsPattern(CONFIG_OR_MANIFEST)
                    .contains("the registry answered 401 Unauthorized: give registryAuth for " + registry.host());
        }
    }

    @Test
    void aBlobUploadCutMidBodyFailsThePushNamingTheUpload() throws IOException {
        try (MisbehavingRegistry registry = new MisbehavingRegistry(5000, Fault.BLOB_CUT)) {
            RegistryException e = pushFails(registry, "cut");
            // Docker's distribution client retries a layer 5 times (about 50 s); the containerd store does not.
            assertThat(e.getMessage())
                    .containsPattern("failed at the upload of (layer|the image config)")
                    .contains("is the registry at " + registry.host() + " up and reachable from the daemon?")
                    .doesNotContain("_state=");
        }
    }

    /**
     * Builds a one-layer image of 3 MB of fresh random bytes (a blob the registry has never seen) tagged for the
     * misbehaving registry and pushes it; returns the failure after checking what every fault has in common.
     */
    private RegistryException pushFails(MisbehavingRegistry registry, String name) throws IOException {
        String repo = "cb-test/" + name + "-" + RUN_ID;
        String tag = registry.host() + "/" + repo + ":1";
        CREATED.add(tag);
        Throwable thrown = RegistryFaults.pushFails(
                dir,
                registry,
                repo,
                tag,
                () -> Daemon.engine(Backend.BUILDKIT),
                Daemon.name() + " " + name,
                Duration.ofSeconds(150));
        assertThat(thrown).isInstanceOf(RegistryException.class);
        RegistryException e = (RegistryException) thrown;
        assertThat(e.registry()).isEqualTo(registry.host());
        assertThat(e.getMessage()).contains("pushing " + tag).contains("registry " + registry.host() + " failed");
        return e;
    }
}
