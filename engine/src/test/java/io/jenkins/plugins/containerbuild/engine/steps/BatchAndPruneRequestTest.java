package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.ByteSize;
import io.jenkins.plugins.containerbuild.engine.api.GoDuration;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchAndPruneRequestTest {

    @Test
    void batchReadsBuildsAndOptions() {
        BatchRequest b = BatchRequest.fromArguments(Map.of(
                "builds",
                List.of(
                        Map.of(
                                "tags",
                                List.of("app:1"),
                                "secrets",
                                List.of(Map.of("id", "npm", "credentialsId", "npm-token"))),
                        Map.of("context", "worker", "name", "worker", "registryCredentialsId", "reg")),
                "maxParallel",
                new BigDecimal("2"),
                "failFast",
                true));
        assertThat(b.builds()).extracting(BuildSpec::displayName).containsExactly("app:1", "worker");
        assertThat(b.maxParallel()).isEqualTo(2);
        assertThat(b.failFast()).isTrue();
        assertThat(b.credentialIds()).containsExactly("npm-token", "reg");
        assertThat(BatchRequest.fromArguments(b.toArguments()).builds()).isEqualTo(b.builds());
    }

    @Test
    void batchDefaults() {
        BatchRequest b = BatchRequest.fromArguments(Map.of("builds", List.of(Map.of())));
        assertThat(b.maxParallel()).isEqualTo(4);
        assertThat(b.failFast()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "maxParallel | 0    | maxParallel: must be from 1 to 32, got 0",
                "maxParallel | 33   | maxParallel: must be from 1 to 32, got 33",
                "maxParallel | 2.5  | maxParallel: expected a whole number from 1 to 32, got the number 2.5",
                "maxParallel | four | maxParallel: expected a number, got the string 'four'",
                "failFast    | yes  | failFast: expected true or false, got the string 'yes'",
            })
    void batchRefusesBadOptions(String key, String value, String message) {
        Object v = value.matches("[0-9.]+") ? new BigDecimal(value) : value;
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of("builds", List.of(Map.of()), key, v)))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessage(message);
    }

    @Test
    void batchNamesTheBadEntry() {
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of())).hasMessageStartingWith("builds: is required");
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of("builds", List.of())))
                .hasMessage("builds: is empty; give at least one build");
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of("builds", List.of(Map.of(), "app"))))
                .isInstanceOfSatisfying(
                        InvalidBuildContextException.class,
                        e -> assertThat(e.field()).isEqualTo("builds[1]"));
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of(
                        "builds",
                        List.of(Map.of(), Map.of("secrets", List.of(Map.of("id", "npm", "credentialsId", 5)))))))
                .isInstanceOfSatisfying(InvalidBuildContextException.class, e -> {
                    assertThat(e.field()).isEqualTo("builds[1].secrets[0].credentialsId");
                    assertThat(e.getMessage()).contains("expected a string, got the number 5");
                });
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of("builds", List.of(Map.of("tgas", "a")))))
                .hasMessageContaining("builds[0].tgas: unknown argument; did you mean 'tags'?");
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of("build", List.of())))
                .hasMessageContaining("build: unknown argument; did you mean 'builds'?");
    }

    @Test
    void pruneReadsItsArguments() {
        PruneRequest p = PruneRequest.fromArguments(Map.of(
                "all",
                true,
                "filters",
                Map.of("until", "24h", "type", "regular", "inuse", false),
                "keepStorage",
                "10GB"));
        assertThat(p.all()).isTrue();
        assertThat(p.filters()).containsEntry("until", "24h").containsEntry("inuse", "false");
        assertThat(p.keepStorageBytes()).isEqualTo(10_000_000_000L);
        assertThat(PruneRequest.fromArguments(p.toArguments()).toArguments()).isEqualTo(p.toArguments());
        PruneRequest d = PruneRequest.fromArguments(Map.of());
        assertThat(d.all()).isFalse();
        assertThat(d.filters()).isEmpty();
        assertThat(d.keepStorageBytes()).isZero();
        assertThat(PruneRequest.fromArguments(Map.of("keepStorage", 5_000_000_000L))
                        .keepStorageBytes())
                .isEqualTo(5_000_000_000L);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "filters.untl   | until: did you mean",
                "filters.dangling | filters.dangling: unknown filter; known filters: until, id, parent, type",
                "filters.until  | filters.until: 'yesterday' is not a duration",
                "keepStorage    | keepStorage: '10 gigs' is not a size",
                "all            | all: expected true or false",
            })
    void pruneRefusesBadArguments(String what, String message) {
        Map<String, Object> args = switch (what) {
            case "filters.untl" -> Map.of("filters", Map.of("untl", "24h"));
            case "filters.dangling" -> Map.of("filters", Map.of("dangling", "true"));
            case "filters.until" -> Map.of("filters", Map.of("until", "yesterday"));
            case "keepStorage" -> Map.of("keepStorage", "10 gigs");
            default -> Map.of("all", "no");
        };
        assertThatThrownBy(() -> PruneRequest.fromArguments(args))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining(message.replace("until: did you mean", "did you mean 'until'?"));
    }

    @ParameterizedTest
    @CsvSource({
        "1024, 1024",
        "0, 0",
        "512B, 512",
        "10GB, 10000000000",
        "10gb, 10000000000",
        "1.5G, 1500000000",
        "512MiB, 536870912",
        "1KiB, 1024",
        "2TiB, 2199023255552",
        "3kB, 3000",
        "1TB, 1000000000000",
        "0.5KiB, 512",
        "7 MB, 7000000",
    })
    void byteSizes(String text, long bytes) {
        assertThat(ByteSize.parse("keepStorage", text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10XB   | is not a size",
                "-1GB | is not a size",
                "1.5B | is not a whole number of bytes",
                "GB     | is not a size",
                "1Ki  | is not a size",
                "99999999TB | is too large",
                "1iB | is not a size",
            })
    void badByteSizes(String text, String message) {
        assertThatThrownBy(() -> ByteSize.parse("keepStorage", text))
                .hasMessageContaining(message)
                .hasMessageStartingWith("keepStorage: '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({
        "90s, 90000",
        "30m, 1800000",
        "1h, 3600000",
        "1h30m, 5400000",
        "1.5h, 5400000",
        "250ms, 250",
        "2h45m30s, 9930000"
    })
    void goDurations(String text, long millis) {
        assertThat(GoDuration.parse("until", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"24", "1d", "h", "1 h", "-1h", "''"})
    void badGoDurations(String text) {
        assertThatThrownBy(() -> GoDuration.parse("until", text))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("is not a duration");
    }

    @Test
    void theBuildsOfABatchShareTheirBuilderAndAPruneNamesOne() {
        assertThatThrownBy(() -> BatchRequest.fromArguments(Map.of(
                        "builds", List.of(Map.of("builder", "tcp://bk:1234"), Map.of("builder", "tcp://other:1234")))))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageStartingWith("builds[1].builder: every build of a batch must have the same value");
        assertThatThrownBy(() ->
                        BatchRequest.fromArguments(Map.of("builds", List.of(Map.of(), Map.of("backend", "classic")))))
                .hasMessageStartingWith("builds[1].backend: every build of a batch must have the same value");
        PruneRequest p = PruneRequest.fromArguments(
                Map.of("builder", "tcp://bk:1234", "builderCredentialsId", "bk-cert", "all", true));
        assertThat(p.builder()).isEqualTo("tcp://bk:1234");
        assertThat(p.builderCredentialsId()).isEqualTo("bk-cert");
        assertThatThrownBy(() -> PruneRequest.fromArguments(Map.of("builderCredentialsId", "bk-cert")))
                .hasMessageStartingWith("builderCredentialsId: needs builder");
    }
}
