package io.jenkins.plugins.containerbuild.engine.buildkit;

import com.google.protobuf.Timestamp;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.build.StepLog;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Vertex;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.VertexLog;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.VertexStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Follows BuildKit's vertexes through the incremental {@code StatusResponse} updates: numbers
 * the Dockerfile's steps, reports each start, cache hit, completion and failure once, turns logs
 * into masked lines, and keeps the timings.
 */
public final class VertexTracker {
    /** Dockerfile steps are named like {@code [2/3] RUN …} or {@code [build 1/4] FROM …}. */
    private static final Pattern STEP_NAME = Pattern.compile("^\\[(?:[^\\]]+ )?\\d+/\\d+\\] .*", Pattern.DOTALL);

    private static final Pattern FROM_STEP = Pattern.compile("^\\[[^\\]]*\\] FROM .*", Pattern.DOTALL);

    private final java.util.Set<String> pendingWork = new java.util.HashSet<>();
    private final String buildId;
    private final BuildListener listener;
    private final UnaryOperator<String> masker;
    private final Map<String, VertexState> vertexes = new LinkedHashMap<>();
    private int stepCount;
    private int stepsFinished;
    private Instant firstStarted;
    private Instant lastCompleted;

    public VertexTracker(String buildId, BuildListener listener, UnaryOperator<String> masker) {
        this.buildId = buildId;
        this.listener = listener;
        this.masker = masker;
    }

    /** Takes one update from the trace. */
    public void accept(StatusResponse update) {
        for (VertexStatus st : update.getStatusesList()) {
            VertexState s = vertexes.get(st.getVertex());
            if (s != null) {
                s.hadWork = true;
            } else {
                pendingWork.add(st.getVertex());
            }
        }
        for (Vertex v : update.getVertexesList()) {
            onVertex(v);
        }
        for (VertexLog log : update.getLogsList()) {
            VertexState s = vertexes.get(log.getVertex());
            if (s == null) {
                continue;
            }
            s.log.append(log.getMsg().toByteArray(), line -> emit(s, BuildProgress.Kind.LOG, line));
        }
    }

    private void onVertex(Vertex v) {
        VertexState s = vertexes.computeIfAbsent(v.getDigest(), d -> newVertex(v.getName()));
        s.hadWork |= pendingWork.remove(v.getDigest());
        s.cached |= v.getCached();
        if (v.hasStarted() && s.started == null) {
            s.started = toInstant(v.getStarted());
            firstStarted = min(firstStarted, s.started);
            if (!s.cached) {
                emit(s, BuildProgress.Kind.STEP_STARTED, "");
            }
        }
        if (!v.getError().isEmpty() && s.error == null) {
            s.error = masker.apply(v.getError());
        }
        if (v.hasCompleted() && s.completed == null) {
            s.completed = toInstant(v.getCompleted());
            // A base image already in the image store is resolved without work: BuildKit v0.8 does
            // not flag it cached, but nothing was built or fetched, so it counts as a cache hit.
            s.cached |= s.isFrom && !s.hadWork && v.getError().isEmpty();
            lastCompleted = max(lastCompleted, s.completed);
            s.log.flush(line -> emit(s, BuildProgress.Kind.LOG, line));
            if (s.step > 0) {
                stepsFinished++;
            }
            if (s.error != null) {
                emit(s, BuildProgress.Kind.STEP_FAILED, s.error);
            } else if (s.cached) {
                emit(s, BuildProgress.Kind.STEP_CACHED, "CACHED");
            } else {
                emit(s, BuildProgress.Kind.STEP_DONE, "DONE " + formatSeconds(s.duration()));
            }
        }
    }

    private VertexState newVertex(String name) {
        VertexState s = new VertexState(name, new StepLog(masker));
        if (STEP_NAME.matcher(name).matches()) {
            s.step = ++stepCount;
            s.isFrom = FROM_STEP.matcher(name).matches();
        }
        return s;
    }

    private void emit(VertexState s, BuildProgress.Kind kind, String message) {
        int percent = stepCount == 0 ? 0 : Math.min(100, stepsFinished * 100 / stepCount);
        listener.onProgress(new BuildProgress(buildId, kind, s.step, stepCount, percent, s.name, message));
    }

    /** The Dockerfile steps seen, in the order the daemon first reported them. */
    public List<StepTiming> steps() {
        List<StepTiming> out = new ArrayList<>();
        for (VertexState s : vertexes.values()) {
            if (s.step > 0) {
                out.add(new StepTiming(s.name, s.cached ? Duration.ZERO : s.duration(), s.cached));
            }
        }
        return out;
    }

    /** The first vertex that failed: its name, masked error and last log lines. */
    public Optional<FailedStep> failure() {
        return vertexes.values().stream().filter(s -> s.error != null)
                .filter(s -> !s.error.contains("context canceled") || s.step > 0)
                .findFirst()
                .map(s -> new FailedStep(s.name, s.error, s.log.lastLines()));
    }

    /** Time the daemon spent between the first vertex starting and the last completing. */
    public Duration daemonTime() {
        return firstStarted == null || lastCompleted == null ? Duration.ZERO : Duration.between(firstStarted, lastCompleted);
    }

    private static String formatSeconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static Instant toInstant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /** A failed vertex. */
    public record FailedStep(String name, String error, List<String> lastLines) {
    }

    private static final class VertexState {
        final String name;
        final StepLog log;
        int step;
        boolean isFrom;
        boolean hadWork;
        boolean cached;
        Instant started;
        Instant completed;
        String error;

        VertexState(String name, StepLog log) {
            this.name = name;
            this.log = log;
        }

        Duration duration() {
            return started == null || completed == null ? Duration.ZERO : Duration.between(started, completed);
        }
    }
}
