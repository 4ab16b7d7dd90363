package io.jenkins.plugins.containerbuild.engine.report;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Build records made from real engine metrics, for the report tests. */
final class Records {
    static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
    static final String DIGEST = "sha256:" + "ab12".repeat(16);
    static final String IMAGE_ID = "sha256:" + "cd34".repeat(16);

    private Records() {}

    /** 4 steps, 3 cached (75%), 4.2 s, 12.3 MB, 5 layers. */
    static BuildRecord app() {
        BuildMetrics m = BuildMetrics.builder()
                .start(START)
                .end(START.plusMillis(4200))
                .status(BuildStatus.SUCCESS)
                .steps(List.of(
                        new StepTiming("[1/4] FROM local/busybox:latest", Duration.ZERO, true),
                        new StepTiming("[2/4] COPY app /app", Duration.ZERO, true),
                        new StepTiming("[3/4] RUN make -C /app", Duration.ofMillis(3100), false),
                        new StepTiming("[4/4] WORKDIR /app", Duration.ZERO, true)))
                .layers(5)
                .imageSizeBytes(12_300_000)
                .contextBytes(48_000)
                .backend(Backend.BUILDKIT)
                .build();
        return BuildRecord.of(
                new BuildResult(
                        "b-1", IMAGE_ID, List.of("127.0.0.1:5000/team/app:1.0", "127.0.0.1:5000/team/app:latest"), m),
                DIGEST,
                List.of("linux/amd64", "linux/arm64"));
    }

    /** A successful build with the given size, cache counts and time. */
    static BuildRecord sized(long size, int steps, int cached, long millis) {
        BuildMetrics m = BuildMetrics.builder()
                .start(START)
                .end(START.plusMillis(millis))
                .status(BuildStatus.SUCCESS)
                .stepsTotal(steps)
                .stepsCached(cached)
                .imageSizeBytes(size)
                .backend(Backend.BUILDKIT)
                .build();
        return BuildRecord.of(new BuildResult("b", IMAGE_ID, List.of("team/app:1"), m), null, List.of());
    }

    static BuildRecord failed(String tag, String error) {
        BuildMetrics m = BuildMetrics.builder()
                .start(START)
                .end(START.plusMillis(1500))
                .status(BuildStatus.FAILED)
                .steps(List.of(
                        new StepTiming("[1/2] FROM local/busybox:latest", Duration.ZERO, true),
                        new StepTiming("[2/2] RUN false", Duration.ofMillis(900), false)))
                .backend(Backend.CLASSIC)
                .error(error)
                .build();
        return BuildRecord.failed("worker", List.of(tag), m);
    }
}
