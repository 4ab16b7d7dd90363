package io.jenkins.plugins.containerbuild.engine.classic;

import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.build.StepLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Follows a classic-style text stream in one {@link StreamDialect} (dockerd's {@code Step n/m : …},
 * {@code ---> Using cache}; Podman's {@code STEP n/m: …}, {@code --> Using cache …}) and measures
 * each step on the client's clock, since that stream carries no timings.
 */
public final class ClassicStepTracker {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

    private final StreamDialect dialect;
    private final String buildId;
    private final BuildListener listener;
    private final UnaryOperator<String> masker;
    private final Clock clock;
    private final List<StepTiming> finished = new ArrayList<>();
    private final java.util.ArrayDeque<String> stepLines = new java.util.ArrayDeque<>();
    private String current;
    private int currentNumber;
    private int total;
    private Instant currentStart;
    private boolean currentCached;
    private boolean currentRan;
    private boolean currentIsFrom;
    private boolean currentCounts;
    private boolean seenFrom;
    private final StepLog log;
    private Instant first;

    public ClassicStepTracker(
            StreamDialect dialect, String buildId, BuildListener listener, UnaryOperator<String> masker, Clock clock) {
        this.dialect = dialect;
        this.buildId = buildId;
        this.listener = listener;
        this.masker = masker;
        this.clock = clock;
        this.log = new StepLog(masker);
    }

    /** Takes one {@code stream} text, which may hold several lines or part of one. */
    public void accept(String text) {
        log.append(text.getBytes(StandardCharsets.UTF_8), this::onLine);
    }

    private void onLine(String raw) {
        // The classic builder colours a RUN's stderr with ANSI escapes; they are noise in a log.
        String line = ANSI.matcher(raw).replaceAll("");
        StreamDialect.Header h = dialect.header(line);
        if (h != null) {
            finishCurrent();
            currentNumber = h.number();
            total = h.total();
            current = h.name();
            currentStart = clock.instant();
            stepLines.clear();
            first = first == null ? currentStart : first;
            currentCached = false;
            currentRan = false;
            currentIsFrom = h.isFrom();
            seenFrom |= currentIsFrom;
            // A global ARG before the first FROM is no build step (BuildKit does not report it either).
            currentCounts = seenFrom;
            emit(BuildProgress.Kind.STEP_STARTED, "");
            return;
        }
        if (current == null) {
            return;
        }
        switch (dialect.role(line)) {
            case CACHE_HIT -> currentCached = true;
            case RAN -> currentRan = true;
            case INFO ->
                listener.onProgress(new BuildProgress(buildId, BuildProgress.Kind.INFO, 0, total, 100, "", line));
            case OUTPUT -> {
                currentRan = true;
                if (stepLines.size() == 20) {
                    stepLines.removeFirst();
                }
                stepLines.addLast(line);
                emit(BuildProgress.Kind.LOG, line);
            }
            case HIDDEN -> {
                // builder bookkeeping
            }
        }
    }

    private void finishCurrent() {
        if (current == null) {
            return;
        }
        // A FROM resolved from the local image store does no work: count it as a cache hit, as BuildKit does.
        boolean cached = currentCached || (currentIsFrom && !currentRan);
        Duration d = cached ? Duration.ZERO : Duration.between(currentStart, clock.instant());
        if (currentCounts) {
            finished.add(new StepTiming(current, d, cached));
        }
        emit(cached ? BuildProgress.Kind.STEP_CACHED : BuildProgress.Kind.STEP_DONE, cached ? "CACHED" : "DONE");
        current = null;
    }

    /** Ends the stream: the last step is finished (or failed, when {@code error} is not null). */
    public void end(String error) {
        log.flush(this::onLine);
        if (error != null && current != null) {
            emit(BuildProgress.Kind.STEP_FAILED, error);
            finished.add(new StepTiming(current, Duration.between(currentStart, clock.instant()), false));
            current = null;
        } else {
            finishCurrent();
        }
    }

    private void emit(BuildProgress.Kind kind, String message) {
        int done = currentNumber - (current == null ? 0 : 1);
        int percent = total == 0 ? 0 : Math.min(100, done * 100 / total);
        listener.onProgress(new BuildProgress(
                buildId, kind, currentNumber, total, percent, current == null ? "" : current, message));
    }

    public List<StepTiming> steps() {
        return List.copyOf(finished);
    }

    /** The step that has started and not finished, if any: what a daemon that went away was doing. */
    public Optional<String> running() {
        return Optional.ofNullable(current);
    }

    /** The name of the step that was running last, or null. */
    public String lastStepName() {
        return finished.isEmpty() ? null : finished.get(finished.size() - 1).name();
    }

    /** The last lines the current (or last) step printed. */
    public List<String> lastLines() {
        return List.copyOf(stepLines);
    }

    public Duration elapsed() {
        return first == null ? Duration.ZERO : Duration.between(first, clock.instant());
    }
}
