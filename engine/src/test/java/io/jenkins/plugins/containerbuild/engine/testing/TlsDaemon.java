package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The second dockerd that scripts/start-tls-dockerd.sh starts on tcp://127.0.0.1:2376 with {@code --tlsverify};
 * tests skip with a reason when it does not answer.
 */
public final class TlsDaemon {
    public static final String HOST = "tcp://127.0.0.1:2376";
    private static String unavailable;
    private static boolean checked;

    private TlsDaemon() {}

    private static Path tlsDir() {
        String state = System.getenv().getOrDefault("CONTAINER_BUILD_STATE_DIR", "/var/lib/container-build-dev");
        return Path.of(state, "tls");
    }

    /** ca.pem, cert.pem and key.pem of a client the daemon accepts. */
    public static Path certDir() {
        return tlsDir().resolve("client");
    }

    /** A client certificate from another CA (its ca.pem is the right one, so only the client is wrong). */
    public static Path wrongCertDir() {
        return tlsDir().resolve("wrong-client");
    }

    public static DaemonEndpoint endpoint() {
        return DaemonEndpoint.of(HOST, certDir());
    }

    public static DaemonClient client() {
        return new DaemonClient(endpoint(), Duration.ofSeconds(5), Duration.ofMinutes(5), 4);
    }

    /** Skips the calling test unless the TLS daemon answers with the base image loaded. */
    public static synchronized void assumeAvailable() {
        if (!checked) {
            checked = true;
            if (!Files.isRegularFile(certDir().resolve("key.pem"))) {
                unavailable = "no TLS client material in " + certDir();
            } else {
                try (DaemonClient c = client()) {
                    c.ping();
                    c.getJson("/images/" + Daemon.BASE_IMAGE + "/json");
                } catch (RuntimeException e) {
                    unavailable = e.getMessage();
                }
            }
        }
        Required.that(
                unavailable == null,
                "no TLS Docker daemon with " + Daemon.BASE_IMAGE + " at " + HOST + " (" + unavailable
                        + "; run scripts/start-tls-dockerd.sh as root)");
    }

    /** Removes an image from the TLS daemon, ignoring one that is not there. */
    public static void removeImage(String ref) {
        try (DaemonClient c = client()) {
            c.delete("/images/" + ref + "?force=1");
        } catch (RuntimeException e) {
            // already gone
        }
    }
}
