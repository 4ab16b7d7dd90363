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
 *
 * <p>Steps are numbered in Dockerfile order (stage by stage, each stage's steps in order), not in the
 * order the daemon lists them: BuildKit v0.8 lists a build's vertexes roughly in that order, v0.13 in
 * about the reverse.
 */
public final class VertexTracker {
    /** Dockerfile steps are named like {@code [2/3] RUN …} or {@code [build 1/4] FROM …}. */
    private static final Pattern STEP_NAME = Pattern.compile("^\\[(?:[^\\]]+ )?\\d+/\\d+\\] .*", Pattern.DOTALL);

    /** The parts of a step name: {@code [<platform> <stage> 2/4] …}, the platform and stage being optional. */
    private static final Pattern STEP_PARTS = Pattern.compile("^\\[(?:([^\\]]*) )?(\\d+)/\\d+\\] ");

    private static final Pattern UNNAMED_STAGE = Pattern.compile("stage-(\\d{1,4})");

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

    private final List<String> stageOrder;

    /** A tracker that numbers steps of unknown stages in the daemon's order. */
    public VertexTracker(String buildId, BuildListener listener, UnaryOperator<String> masker) {
        this(buildId, listener, masker, List.of());
    }

    /**
     * @param stageOrder the Dockerfile's stage labels in order (see
     *                   {@code DockerfileModel.stageLabels}): steps are numbered in that order
     */
    public VertexTracker(
            String buildId, BuildListener listener, UnaryOperator<String> masker, List<String> stageOrder) {
        this.buildId = buildId;
        this.listener = listener;
        this.masker = masker;
        this.stageOrder = List.copyOf(stageOrder);
    }

    /** Takes one update from the trace. */
    public void accept(StatusResponse update) {
        for (VertexStatus st : update.getStatusesList()) {
            if (st.getId().startsWith("resolve ")) {
                // The containerd image store reports looking up a local base image by digest: no download.
                continue;
            }
            VertexState s = vertexes.get(st.getVertex());
            if (s != null) {
                s.hadWork = true;
            } else {
                pendingWork.add(st.getVertex());
            }
        }
        for (Vertex v : inDockerfileOrder(update.getVertexesList())) {
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

    /**
     * The update's vertexes with its Dockerfile steps reordered among themselves into Dockerfile order (the
     * other vertexes keep their places), so new steps are numbered, and reported, in that order. A step comes
     * after the steps it takes as inputs: a base image shared by two stages is named after one of them, but
     * both build on it, so it comes first.
     */
    private List<Vertex> inDockerfileOrder(List<Vertex> listed) {
        List<Vertex> remaining = new ArrayList<>();
        for (Vertex v : listed) {
            if (isStep(v)) {
                remaining.add(v);
            }
        }
        if (remaining.size() < 2) {
            return listed;
        }
        List<Vertex> steps = new ArrayList<>(remaining.size());
        java.util.Set<String> pending = new java.util.HashSet<>();
        remaining.forEach(v -> pending.add(v.getDigest()));
        while (!remaining.isEmpty()) {
            Vertex next = null;
            Vertex fallback = null;
            for (Vertex v : remaining) {
                if (fallback == null || stepRank(v) < stepRank(fallback)) {
                    fallback = v;
                }
                boolean ready =
                        v.getInputsList().stream().noneMatch(in -> !in.equals(v.getDigest()) && pending.contains(in));
                if (ready && (next == null || stepRank(v) < stepRank(next))) {
                    next = v;
                }
            }
            Vertex chosen = next != null ? next : fallback; // a cycle cannot happen; never loop on one
            steps.add(chosen);
            remaining.remove(chosen);
            pending.remove(chosen.getDigest());
        }
        List<Vertex> out = new ArrayList<>(listed.size());
        int next = 0;
        for (Vertex v : listed) {
            out.add(isStep(v) ? steps.get(next++) : v);
        }
        return out;
    }

    /** A Dockerfile step: named like one, or already numbered (a later update may repeat only the digest). */
    private boolean isStep(Vertex v) {
        VertexState known = vertexes.get(v.getDigest());
        return known != null ? known.step > 0 : STEP_NAME.matcher(v.getName()).matches();
    }

    /**
     * A step's place in the Dockerfile: its stage's index times a large stride plus its index in the stage.
     * A step already numbered keeps its number's place; one of an unknown stage sorts after the known ones.
     */
    private int stepRank(Vertex v) {
        VertexState known = vertexes.get(v.getDigest());
        if (known != null) {
            return known.step - Integer.MAX_VALUE / 2;
        }
        var m = STEP_PARTS.matcher(v.getName());
        if (!m.find()) {
            return Integer.MAX_VALUE;
        }
        String prefix = m.group(1) == null ? "" : m.group(1);
        // The stage is the prefix's last word; a platform ("linux/arm64") or none before it.
        String stage = prefix.substring(prefix.lastIndexOf(' ') + 1);
        if (stage.contains("/")) {
            stage = "";
        }
        int stageIndex = stageOrder.indexOf(stage);
        var unnamed = UNNAMED_STAGE.matcher(stage);
        if (stageIndex < 0 && unnamed.matches()) {
            stageIndex = Integer.parseInt(unnamed.group(1)); // v0.13 names a stage without AS "stage-<index>"
        }
        int index = Integer.parseInt(m.group(2));
        return (stageIndex < 0 ? stageOrder.size() : stageIndex) * 10_000 + Math.min(index, 9_999);
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

    /** Whether the builder reported any progress: it had the build in hand. */
    public boolean hasProgress() {
        return !vertexes.isEmpty();
    }

    /** The step started last that has not completed, if any: what a builder that went away was doing. */
    public Optional<String> running() {
        String name = null;
        Instant latest = null;
        for (VertexState s : vertexes.values()) {
            if (s.step > 0
                    && s.started != null
                    && s.completed == null
                    && (latest == null || s.started.isAfter(latest))) {
                latest = s.started;
                name = s.name;
            }
        }
        return Optional.ofNullable(name);
    }

    /** The first vertex that failed: its name, masked error and last log lines. */
    public Optional<FailedStep> failure() {
        return vertexes.values().stream()
                .filter(s -> s.error != null)
                .filter(s -> !s.error.contains("context canceled") || s.step > 0)
                .findFirst()
                .map(s -> new FailedStep(s.name, s.error, s.log.lastLines()));
    }

    /** Time the daemon spent between the first vertex starting and the last completing. */
    public Duration daemonTime() {
        return firstStarted == null || lastCompleted == null
                ? Duration.ZERO
                : Duration.between(firstStarted, lastCompleted);
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
    public record FailedStep(String name, String error, List<String> lastLines) {}

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
