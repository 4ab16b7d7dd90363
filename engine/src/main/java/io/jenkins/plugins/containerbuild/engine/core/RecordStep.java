package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.HistoryEntry;
import io.jenkins.plugins.containerbuild.engine.api.PlatformImage;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.history.BuildHistory;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Makes the build's metrics, adds it to the history, and ends it: a result, or a failure that says why. */
final class RecordStep implements BuildStep {
    private final BuildHistory history;
    private final DaemonEndpoint daemon;

    RecordStep(BuildHistory history, DaemonEndpoint daemon) {
        this.history = history;
        this.daemon = daemon;
    }

    @Override
    public void run(BuildState s) {
        BackendOutcome o = s.outcome;
        BuildMetrics metrics = BuildMetrics.builder()
                .start(s.start)
                .end(Instant.now())
                .status(o.status())
                .steps(o.steps())
                .layers(s.facts.layers())
                .imageSizeBytes(s.facts.sizeBytes())
                .contextBytes(o.contextBytes())
                .backend(s.backend)
                .error(o.error())
                .daemonTime(o.daemonTime())
                .cacheImports(Stream.concat(s.ctx.cacheFrom().stream(), s.ctx.localCacheImports().stream())
                        .toList())
                .cacheExports(s.ctx.cacheTo())
                .cacheManifest(cacheManifestDigest(o))
                .attestationManifests(s.attestationManifests)
                .build();
        boolean ok = o.status() == BuildStatus.SUCCESS;
        try {
            history.add(HistoryEntry.of(s.buildId, ok ? o.imageId() : null, s.ctx.tags(), metrics));
        } catch (UncheckedIOException e) {
            // The history file could not be written: the build's own outcome stands, the file misses one line.
            s.out.onProgress(new BuildProgress(
                    s.buildId,
                    BuildProgress.Kind.INFO,
                    0,
                    0,
                    0,
                    "",
                    "warning: " + e.getMessage() + ": " + e.getCause().getMessage()));
        }
        if (!ok) {
            throw new BuildFailedException(
                    failureMessage(o, s.builder.describe(daemon)),
                    o.failedStep(),
                    o.exitCode(),
                    o.lastLines(),
                    metrics);
        }
        // A builder that pushes by itself (BuildKit's own API) says what it pushed in its exporter response.
        String pushed = s.ctx.push() ? o.exporterResponse().get("containerimage.digest") : null;
        // Several platforms in one solve: one index; each platform's manifest is in it (the metrics are the solve's).
        String reference = s.ctx.tags().isEmpty() ? "" : s.ctx.tags().get(0);
        List<PlatformImage> platforms = s.platformManifests.stream()
                .map(m -> new PlatformImage(m.platform(), reference, m.configDigest(), m.digest(), m.size(), metrics))
                .toList();
        s.result =
                new BuildResult(s.buildId, o.imageId(), s.ctx.tags(), metrics, pushed, platforms, o.exporterResponse());
    }

    /** Whether the build stopped because a disk filled up: the builder's own error, or what the failed step said. */
    private static boolean outOfSpace(BackendOutcome o) {
        return Stream.concat(Stream.of(String.valueOf(o.error())), o.lastLines().stream())
                .anyMatch(l -> l.toLowerCase(Locale.ROOT).contains("no space left on device"));
    }

    /**
     * A builder that went away under a started build (killed, or silent past its keepalive) ends it with an
     * exception: the history still gets the build, failed, with that error.
     */
    @Override
    public void failed(BuildState s, RuntimeException failure) {
        if (s.start == null || !(failure instanceof DaemonUnreachableException)) {
            return;
        }
        BuildMetrics metrics = BuildMetrics.builder()
                .start(s.start)
                .end(Instant.now())
                .status(BuildStatus.FAILED)
                .backend(s.backend)
                .error(s.masker == null ? failure.getMessage() : s.masker.mask(failure.getMessage()))
                .build();
        try {
            history.add(HistoryEntry.of(s.buildId, null, s.ctx.tags(), metrics));
        } catch (UncheckedIOException e) {
            // The history file could not be written: the build's failure stands as it is.
        }
    }

    /** The digest in the exporter response's {@code cache.manifest} descriptor, or null. */
    private static String cacheManifestDigest(BackendOutcome o) {
        String descriptor = o.exporterResponse().get("cache.manifest");
        if (descriptor == null) {
            return null;
        }
        try {
            return Json.parse(descriptor).path("digest").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * @param builder what to call the builder, e.g. {@code the buildkitd at tcp://10.0.0.5:1234}: named when the
     *                build failed for want of disk space there, which no change to the build would fix
     */
    static String failureMessage(BackendOutcome o, String builder) {
        if (o.status() == BuildStatus.CANCELLED) {
            return "build " + o.error();
        }
        StringBuilder sb = new StringBuilder("build failed");
        if (o.failedStep() != null) {
            sb.append(" at step '").append(o.failedStep()).append('\'');
        }
        if (o.exitCode() != null) {
            sb.append(" (exit code ").append(o.exitCode()).append(')');
        }
        sb.append(": ").append(o.error());
        if (!o.lastLines().isEmpty()) {
            sb.append("\nlast output of the step:");
            o.lastLines().forEach(l -> sb.append("\n  ").append(l));
        }
        if (outOfSpace(o)) {
            sb.append("\n")
                    .append(builder)
                    .append(" has no space left on its disk: free some (prune its build cache, e.g. `container-build")
                    .append(" prune`, and remove images it no longer needs), then build again");
        }
        return sb.toString();
    }
}
