package io.jenkins.plugins.containerbuild.engine.report;

import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Results as plain maps of strings, numbers, booleans and lists: the shape of the CLI's metadata
 * file and of what the Jenkins step returns to a script. One place fixes the field names.
 */
public final class BuildResultMaps {
    private BuildResultMaps() {}

    /** {@code imageId}, {@code tags}, {@code metrics}. */
    public static Map<String, Object> result(BuildResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("buildId", r.buildId());
        m.put("imageId", r.imageId());
        m.put("tags", List.copyOf(r.tags()));
        m.put("metrics", metrics(r.metrics()));
        if (r.digest() != null) {
            m.put("digest", r.digest());
            List<Map<String, Object>> platforms = new ArrayList<>();
            r.platforms().forEach(p -> {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("platform", p.platform().specifier());
                pm.put("reference", p.reference());
                pm.put("imageId", p.imageId());
                pm.put("digest", p.digest());
                pm.put("size", p.size());
                pm.put("metrics", metrics(p.metrics()));
                platforms.add(pm);
            });
            m.put("platforms", platforms);
        }
        putExporterResponse(m, r);
        return m;
    }

    /**
     * What buildx's metadata file holds for a build through BuildKit's own API: the exporter response as given
     * ({@code containerimage.digest}, {@code containerimage.config.digest}, ...), {@code containerimage.descriptor}
     * decoded from its base64 JSON, and {@code buildx.build.ref}.
     */
    private static void putExporterResponse(Map<String, Object> m, BuildResult r) {
        if (r.exporterResponse().isEmpty()) {
            return;
        }
        new TreeMap<>(r.exporterResponse())
                .forEach((k, v) -> m.put(k, k.equals("containerimage.descriptor") ? descriptor(v) : v));
        m.put("buildx.build.ref", r.buildId());
    }

    private static Object descriptor(String base64) {
        try {
            String json = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
            return Json.parsePlain(json);
        } catch (IllegalArgumentException | IOException e) {
            return base64;
        }
    }

    /**
     * As {@link #result(BuildResult)}, plus {@code digest} (when pushed) and {@code platforms}: what the
     * {@code containerBuild} step returns to a script.
     */
    public static Map<String, Object> result(BuildResult r, String digestOrNull, List<String> platforms) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("buildId", r.buildId());
        m.put("imageId", r.imageId());
        if (digestOrNull != null) {
            m.put("digest", digestOrNull);
        }
        m.put("tags", List.copyOf(r.tags()));
        m.put("platforms", platforms == null ? List.of() : List.copyOf(platforms));
        m.put("metrics", metrics(r.metrics()));
        return m;
    }

    /** A quality gates report: {@code outcome} (PASS, UNSTABLE, FAIL), {@code reasons}, {@code checks}. */
    public static Map<String, Object> gates(GateReport g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", g.outcome().name());
        m.put("reasons", List.copyOf(g.reasons()));
        m.put("checks", List.copyOf(g.checks()));
        return m;
    }

    /** The metrics, with durations in milliseconds. */
    public static Map<String, Object> metrics(BuildMetrics x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", x.status().name());
        m.put("startedAt", x.start().toString());
        m.put("durationMillis", x.duration().toMillis());
        m.put("stepsTotal", x.stepsTotal());
        m.put("stepsCached", x.stepsCached());
        m.put("cacheHits", x.cacheHits());
        m.put("cacheMisses", x.cacheMisses());
        m.put("cacheHitRate", Math.round(x.cacheHitRate() * 1000) / 1000.0);
        m.put("layers", x.layers());
        m.put("imageSizeBytes", x.imageSizeBytes());
        m.put("contextBytes", x.contextBytes());
        m.put("backend", x.backend().name());
        if (!x.cacheImports().isEmpty()) {
            m.put("cacheImports", List.copyOf(x.cacheImports()));
        }
        if (!x.cacheExports().isEmpty()) {
            m.put("cacheExports", List.copyOf(x.cacheExports()));
        }
        if (x.cacheManifest() != null) {
            m.put("cacheManifest", x.cacheManifest());
        }
        if (!x.attestationManifests().isEmpty()) {
            m.put("attestationManifests", List.copyOf(x.attestationManifests()));
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepTiming s : x.steps()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("name", s.name());
            sm.put("durationMillis", s.duration().toMillis());
            sm.put("cached", s.cached());
            steps.add(sm);
        }
        m.put("steps", steps);
        if (x.error() != null) {
            m.put("error", x.error());
        }
        return m;
    }
}
