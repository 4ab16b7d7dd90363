package io.jenkins.plugins.containerbuild.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.session.secrets.SecretsProvider;
import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build secrets served from memory over a real daemon's BuildKit session. */
class SessionSecretsTest {
    private static TestDaemon daemon;
    private static final List<String> TAGS = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void daemon() {
        daemon = TestDaemon.connectOrSkip();
    }

    @AfterAll
    static void cleanUp() {
        if (daemon != null) {
            TAGS.forEach(daemon::removeImage);
            daemon.close();
        }
    }

    private BuildContext context(String dockerfile, Map<String, SecretSource> secrets) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), dockerfile);
        BuildContext.Builder b = BuildContext.builder().contextDir(dir);
        secrets.forEach(b::secret);
        return b.build();
    }

    private static String tag(String name) {
        String t = "session-test/" + name + ":" + Long.toHexString(System.nanoTime());
        TAGS.add(t);
        return t;
    }

    @Test
    void secretIsReadByTheBuildButAbsentFromEveryLayerAndTheImageMetadata() throws Exception {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        byte[] value = ("tok-" + HexFormat.of().formatHex(secret)).getBytes(StandardCharsets.US_ASCII);
        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        String dockerfile = "FROM local/busybox:latest\n"
                + "RUN --mount=type=secret,id=tok sha256sum /run/secrets/tok | cut -d' ' -f1 > /hash"
                + " && wc -c < /run/secrets/tok > /len\n";
        AtomicInteger reads = new AtomicInteger();
        SecretSource counting = new SecretSource() {
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
        BuildContext ctx = context(dockerfile, Map.of("tok", counting));
        String tag = tag("secret");
        TestDaemon.Outcome outcome;
        try (BuildSession session = BuildSession.open(TestDaemon.ENDPOINT, ctx, Duration.ofSeconds(10))) {
            assertThat(reads).as("read only when the daemon asks").hasValue(0);
            outcome = daemon.build(session.id(), tag, TestDaemon.files(dockerfile), true);
            SecretsProvider secrets = (SecretsProvider) session.providers().stream()
                    .filter(p -> p instanceof SecretsProvider).findFirst().orElseThrow();
            assertThat(secrets.served()).containsExactly("tok");
        }
        assertThat(outcome.failed()).as("build error: %s", outcome.error()).isFalse();
        assertThat(reads.get()).isGreaterThanOrEqualTo(1);

        byte[] b64 = Base64.getEncoder().encode(value);
        byte[] hex = HexFormat.of().formatHex(value).getBytes(StandardCharsets.US_ASCII);
        List<String> found = new ArrayList<>();
        AtomicReference<String> hashInImage = new AtomicReference<>();
        AtomicInteger layerFiles = new AtomicInteger();
        daemon.walkImage(tag, (path, bytes) -> {
            if (path.contains("!/")) {
                layerFiles.incrementAndGet();
            }
            if (path.endsWith("!/hash")) {
                hashInImage.set(new String(bytes, StandardCharsets.US_ASCII).trim());
            }
            for (byte[] needle : List.of(value, b64, hex)) {
                if (indexOf(bytes, needle) >= 0) {
                    found.add(path);
                }
            }
        });
        assertThat(layerFiles.get()).as("the export was walked into its layers").isGreaterThan(100);
        assertThat(hashInImage.get()).as("the image proves the build read the secret").isEqualTo(expectedHash);
        byte[] config = daemon.get("/v1.41/images/" + outcome.imageId() + "/json");
        byte[] history = daemon.get("/v1.41/images/" + outcome.imageId() + "/history");
        assertThat(indexOf(config, value)).isNegative();
        assertThat(indexOf(history, value)).isNegative();
        assertThat(new String(history, StandardCharsets.UTF_8)).contains("sha256sum /run/secrets/tok");
        for (String line : outcome.lines()) {
            assertThat(indexOf(line.getBytes(StandardCharsets.UTF_8), value)).isNegative();
        }
        assertThat(indexOf(TestDaemon.traceText(outcome).getBytes(StandardCharsets.ISO_8859_1), value)).isNegative();
        try (Stream<Path> written = Files.walk(dir)) {
            for (Path p : written.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), value) >= 0) {
                    found.add(p.toString());
                }
            }
        }
        assertThat(indexOf(TestDaemon.contextTar(TestDaemon.files(dockerfile)), value)).isNegative();
        assertThat(found).as("places holding the secret").isEmpty();
    }

    @Test
    void missingSecretFailsTheBuildNamingItsId() throws Exception {
        String dockerfile = "FROM local/busybox:latest\nRUN --mount=type=secret,id=nope cat /run/secrets/nope\n";
        BuildContext ctx = context(dockerfile, Map.of("tok", SecretSource.ofBytes(new byte[] {1, 2, 3, 4})));
        try (BuildSession session = BuildSession.open(TestDaemon.ENDPOINT, ctx, Duration.ofSeconds(10))) {
            TestDaemon.Outcome o = daemon.build(session.id(), null, TestDaemon.files(dockerfile), true);
            assertThat(o.failed()).isTrue();
            assertThat(o.error()).contains("nope");
        }
    }

    @Test
    void optionalMissingSecretStillBuilds() throws Exception {
        String dockerfile = "FROM local/busybox:latest\n"
                + "RUN --mount=type=secret,id=nope,required=false test ! -e /run/secrets/nope && echo ok > /ok\n";
        BuildContext ctx = context(dockerfile, Map.of("tok", SecretSource.ofBytes(new byte[] {1, 2, 3, 4})));
        try (BuildSession session = BuildSession.open(TestDaemon.ENDPOINT, ctx, Duration.ofSeconds(10))) {
            TestDaemon.Outcome o = daemon.build(session.id(), null, TestDaemon.files(dockerfile), true);
            assertThat(o.failed()).as("build error: %s", o.error()).isFalse();
            assertThat(o.imageId()).startsWith("sha256:");
        }
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
