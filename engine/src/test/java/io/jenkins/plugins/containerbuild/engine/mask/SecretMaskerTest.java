package io.jenkins.plugins.containerbuild.engine.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    private static SecretSource src(String v) {
        return SecretSource.ofBytes(v.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void masksPlainValuesEverywhereInTheLine() {
        try (SecretMasker m = SecretMasker.of(Map.of("tok", src("hunter2-token")))) {
            assertThat(m.mask("token=hunter2-token; again hunter2-token.")).isEqualTo("token=****; again ****.");
            assertThat(m.mask("nothing here")).isEqualTo("nothing here");
            assertThat(m.shortSecrets()).isZero();
        }
    }

    @Test
    void masksStandardBase64AlignedAndEmbeddedAtAnyOffset() {
        String secret = "s3cr3t-value-for-base64";
        try (SecretMasker m = SecretMasker.of(Map.of("tok", src(secret)))) {
            String plain64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
            assertThat(m.mask("auth " + plain64 + " end")).isEqualTo("auth **** end");
            for (String prefix : new String[] {"user:", "ab:", "a:", "xy"}) {
                String embedded = Base64.getEncoder()
                        .encodeToString((prefix + secret + "@host").getBytes(StandardCharsets.UTF_8));
                String masked = m.mask("Authorization: Basic " + embedded);
                assertThat(masked).as("prefix %s", prefix).contains("****");
                // what is left of the base64 does not decode to anything holding the secret
                assertThat(masked).doesNotContain(embedded.substring(8, embedded.length() - 8));
            }
        }
    }

    @Test
    void masksMultiLineAndTrailingNewlineValuesLineByLine() {
        String key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END KEY-----\n";
        try (SecretMasker m = SecretMasker.of(Map.of("file", src("abc123token\n"), "key", src(key)))) {
            assertThat(m.mask("echo abc123token")).isEqualTo("echo ****");
            assertThat(m.mask("  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")).isEqualTo("  ****");
        }
    }

    @Test
    void shortValuesAreMaskedAndCounted() {
        try (SecretMasker m = SecretMasker.of(Map.of("pin", src("42x")))) {
            assertThat(m.shortSecrets()).isEqualTo(1);
            assertThat(m.mask("pin is 42x")).isEqualTo("pin is ****");
        }
    }

    @Test
    void readsEachSecretOnceAndReportsUnreadableOnesByName() {
        AtomicInteger reads = new AtomicInteger();
        Map<String, SecretSource> secrets = new LinkedHashMap<>();
        secrets.put("counted", new SecretSource() {
            @Override
            public byte[] read() {
                reads.incrementAndGet();
                return "counted-value".getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String describe() {
                return "test";
            }
        });
        secrets.put("broken", new SecretSource() {
            @Override
            public byte[] read() throws IOException {
                throw new IOException("gone");
            }

            @Override
            public String describe() {
                return "test";
            }
        });
        try (SecretMasker m = SecretMasker.of(secrets)) {
            m.mask("a counted-value");
            m.mask("b counted-value");
            assertThat(reads).hasValue(1);
            assertThat(m.unreadable()).containsExactly("secret broken");
            assertThat(m.toString()).doesNotContain("counted-value");
        }
    }

    @Test
    void closeForgetsTheValues() {
        SecretMasker m = SecretMasker.of(Map.of("tok", src("forget-me-please")));
        m.close();
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.mask("forget-me-please")).isEqualTo("forget-me-please");
    }

    @Test
    void aFailedBuildsMetricsAreMaskedBeforeTheyTravel() {
        byte[] secret = "hunter2-s3cr3t".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (SecretMasker m = SecretMasker.ofValues(java.util.List.of(secret))) {
            io.jenkins.plugins.containerbuild.engine.api.BuildMetrics metrics =
                    io.jenkins.plugins.containerbuild.engine.api.BuildMetrics.builder()
                            .start(java.time.Instant.EPOCH)
                            .status(io.jenkins.plugins.containerbuild.engine.api.BuildStatus.FAILED)
                            .backend(io.jenkins.plugins.containerbuild.engine.api.Backend.BUILDKIT)
                            .error("RUN echo hunter2-s3cr3t failed")
                            .build();
            assertThat(m.mask(metrics).error()).isEqualTo("RUN echo **** failed");
            assertThat(m.mask(metrics.toBuilder().error(null).build()).error()).isNull();
        }
    }
}
