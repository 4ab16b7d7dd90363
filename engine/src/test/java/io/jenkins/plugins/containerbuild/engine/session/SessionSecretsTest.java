package io.jenkins.plugins.containerbuild.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.core.SessionProviders;
import io.jenkins.plugins.containerbuild.engine.session.secrets.SecretsProvider;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.Images;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build secrets served from memory over a real daemon's BuildKit session, built through {@link BuildEngine}. */
@Tag("daemon")
class SessionSecretsTest {
    private static final List<String> TAGS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        Daemon.assumeAvailable();
    }

    @AfterAll
    static void cleanUp() {
        TAGS.forEach(Daemon::removeImage);
    }

    private static String tag(String name) {
        String t = "session-test/" + name + ":" + Long.toHexString(System.nanoTime());
        TAGS.add(t);
        return t;
    }

    /** A source that counts how often it is read. */
    private static SecretSource counting(byte[] value, AtomicInteger reads) {
        return new SecretSource() {
            @Override
            public byte[] read() {
                reads.incrementAndGet();
                return value.clone();
            }

            @Override
            public String describe() {
                return "test value";
            }
        };
    }

    @Test
    void aSessionReadsNothingUntilTheDaemonAsks() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
        AtomicInteger reads = new AtomicInteger();
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .secret("tok", counting("never-asked".getBytes(StandardCharsets.UTF_8), reads))
                .build();
        try (BuildSession session =
                BuildSession.open(Daemon.endpoint(), SessionProviders.forBuild(ctx), null, Duration.ofSeconds(10))) {
            assertThat(session.isOpen()).isTrue();
            SecretsProvider secrets = (SecretsProvider) session.providers().stream()
                    .filter(p -> p instanceof SecretsProvider)
                    .findFirst()
                    .orElseThrow();
            assertThat(secrets.served()).isEmpty();
        }
        assertThat(reads).as("read only when the daemon asks").hasValue(0);
    }

    @Test
    void secretIsReadByTheBuildButAbsentFromEveryLayerAndTheImageMetadata() throws Exception {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        byte[] value = ("tok-" + HexFormat.of().formatHex(random)).getBytes(StandardCharsets.US_ASCII);
        String expectedHash =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM local/busybox:latest\n"
                        + "RUN --mount=type=secret,id=tok sha256sum /run/secrets/tok | cut -d' ' -f1 > /hash"
                        + " && wc -c < /run/secrets/tok > /len\n");
        AtomicInteger reads = new AtomicInteger();
        BuildContext ctx = BuildContext.builder()
                .contextDir(dir)
                .tag(tag("secret"))
                .noCache(true)
                .secret("tok", counting(value, reads))
                .build();
        List<BuildProgress> events = new ArrayList<>();
        BuildResult r;
        try (BuildEngine engine = Daemon.engine(Backend.BUILDKIT)) {
            r = engine.build(ctx, events::add);
        }
        // once by the masker, at least once more when the daemon's GetSecret asked for it
        assertThat(reads.get()).isGreaterThanOrEqualTo(2);

        AtomicReference<String> hashInImage = new AtomicReference<>();
        Images.walk(r.imageId(), (path, bytes) -> {
            if (path.endsWith("!/hash")) {
                hashInImage.set(new String(bytes, StandardCharsets.US_ASCII).trim());
            }
        });
        assertThat(hashInImage.get())
                .as("the image proves the build read the secret")
                .isEqualTo(expectedHash);
        byte[] history = Images.getRaw("/images/" + r.imageId() + "/history");
        assertThat(new String(history, StandardCharsets.UTF_8)).contains("sha256sum /run/secrets/tok");

        List<byte[]> needles = List.of(
                value,
                Base64.getEncoder().encode(value),
                HexFormat.of().formatHex(value).getBytes(StandardCharsets.US_ASCII));
        int[] layerEntries = {0};
        List<String> found = Images.placesHolding(r.imageId(), needles, List.of(dir), layerEntries);
        assertThat(layerEntries[0]).as("the export was walked into its layers").isGreaterThan(100);
        for (BuildProgress e : events) {
            for (byte[] n : needles) {
                if (Images.indexOf((e.vertexName() + e.message()).getBytes(StandardCharsets.UTF_8), n) >= 0) {
                    found.add("progress event " + e);
                }
            }
        }
        assertThat(found).as("places holding the secret").isEmpty();
    }
}
