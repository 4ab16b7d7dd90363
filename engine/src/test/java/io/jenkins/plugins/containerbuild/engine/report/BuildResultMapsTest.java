package io.jenkins.plugins.containerbuild.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildResultMapsTest {
    @Test
    void stepResultCarriesDigestPlatformsAndMetrics() {
        BuildMetrics m = BuildMetrics.builder()
                .start(Records.START)
                .end(Records.START.plusMillis(1234))
                .status(BuildStatus.SUCCESS)
                .backend(Backend.BUILDKIT)
                .imageSizeBytes(42)
                .layers(2)
                .steps(List.of(
                        new StepTiming("RUN a", Duration.ofMillis(5), false),
                        new StepTiming("RUN b", Duration.ZERO, true),
                        new StepTiming("RUN c", Duration.ZERO, true)))
                .build();
        Map<String, Object> r = BuildResultMaps.result(
                new BuildResult("b-7", Records.IMAGE_ID, List.of("app:1"), m), Records.DIGEST, List.of("linux/amd64"));
        assertThat(r)
                .containsEntry("imageId", Records.IMAGE_ID)
                .containsEntry("digest", Records.DIGEST)
                .containsEntry("tags", List.of("app:1"))
                .containsEntry("platforms", List.of("linux/amd64"));
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) r.get("metrics");
        assertThat(metrics)
                .containsEntry("durationMillis", 1234L)
                .containsEntry("cacheHitRate", 0.667)
                .containsEntry("stepsCached", 2)
                .containsEntry("imageSizeBytes", 42L);
        assertThat(BuildResultMaps.result(new BuildResult("b", "sha256:1", List.of(), m), null, null))
                .doesNotContainKey("digest")
                .containsEntry("platforms", List.of());
    }

    @Test
    void gatesAsMap() {
        GateReport g = new GateReport(GateReport.Outcome.UNSTABLE, List.of("why"), List.of("why", "ok"));
        assertThat(BuildResultMaps.gates(g))
                .isEqualTo(Map.of("outcome", "UNSTABLE", "reasons", List.of("why"), "checks", List.of("why", "ok")));
    }
}
