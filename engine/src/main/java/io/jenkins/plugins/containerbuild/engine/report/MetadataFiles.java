package io.jenkins.plugins.containerbuild.engine.report;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the metadata files {@code container-build build --metadata-file} writes back into records. */
public final class MetadataFiles {
    private MetadataFiles() {}

    /** The record of one metadata file; the file's name (without {@code .json}) names the build. */
    public static BuildRecord read(Path file) throws IOException {
        JsonValue n = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        JsonValue m = n.path("metrics");
        if (!m.isObject()) {
            throw new IOException(file + " is not a container-build metadata file (no 'metrics')");
        }
        List<StepTiming> steps = new ArrayList<>();
        m.path("steps")
                .forEach(s -> steps.add(new StepTiming(
                        s.path("name").asText(),
                        Duration.ofMillis(s.path("durationMillis").asLong()),
                        s.path("cached").asBoolean())));
        Instant start =
                m.hasNonNull("startedAt") ? Instant.parse(m.path("startedAt").asText()) : Instant.EPOCH;
        BuildMetrics metrics = BuildMetrics.builder()
                .start(start)
                .end(start.plusMillis(m.path("durationMillis").asLong()))
                .status(BuildStatus.valueOf(m.path("status").asText("FAILED")))
                .steps(steps)
                .stepsTotal(m.path("stepsTotal").asInt(steps.size()))
                .stepsCached(m.path("stepsCached").asInt(0))
                .layers(m.path("layers").asInt())
                .imageSizeBytes(m.path("imageSizeBytes").asLong())
                .contextBytes(m.path("contextBytes").asLong())
                .backend(Backend.valueOf(m.path("backend").asText("AUTO")))
                .error(m.hasNonNull("error") ? m.path("error").asText() : null)
                .build();
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (metrics.status() != BuildStatus.SUCCESS || !n.hasNonNull("imageId")) {
            return BuildRecord.failed(name, tags, metrics);
        }
        BuildResult r = new BuildResult(
                n.path("buildId").asText(name), n.path("imageId").asText(), tags, metrics);
        String digest = n.hasNonNull("digest") ? n.path("digest").asText() : null;
        List<String> platforms = new ArrayList<>();
        n.path("platforms").forEach(p -> platforms.add(p.asText()));
        return BuildRecord.of(name, r, digest, platforms);
    }
}
