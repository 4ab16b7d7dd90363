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
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the classic builder's text stream ({@code Step n/m : …}, {@code ---> Using cache}) and
 * measures each step on the client's clock, since that stream carries no timings.
 */
final class ClassicStepTracker {
    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) : (.*)$", Pattern.DOTALL);
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");
    private static final Pattern IMAGE_LINE = Pattern.compile("^ ---> [0-9a-f]{12}$");

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

    ClassicStepTracker(String buildId, BuildListener listener, UnaryOperator<String> masker, Clock clock) {
        this.buildId = buildId;
        this.listener = listener;
        this.masker = masker;
        this.clock = clock;
        this.log = new StepLog(masker);
    }

    /** Takes one {@code stream} text, which may hold several lines or part of one. */
    void accept(String text) {
        log.append(text.getBytes(StandardCharsets.UTF_8), this::onLine);
    }

    private void onLine(String raw) {
        // The classic builder colours a RUN's stderr with ANSI escapes; they are noise in a log.
        String line = ANSI.matcher(raw).replaceAll("");
        Matcher m = STEP.matcher(line);
        if (m.matches()) {
            finishCurrent();
            currentNumber = Integer.parseInt(m.group(1));
            total = Integer.parseInt(m.group(2));
            current = "[" + currentNumber + "/" + total + "] " + m.group(3).trim();
            currentStart = clock.instant();
            stepLines.clear();
            first = first == null ? currentStart : first;
            currentCached = false;
            currentRan = false;
            currentIsFrom = m.group(3).trim().regionMatches(true, 0, "FROM ", 0, 5);
            seenFrom |= currentIsFrom;
            // A global ARG before the first FROM is no build step (BuildKit does not report it either).
            currentCounts = seenFrom;
            emit(BuildProgress.Kind.STEP_STARTED, "");
            return;
        }
        if (current == null) {
            return;
        }
        if (line.equals(" ---> Using cache")) {
            currentCached = true;
        } else if (line.startsWith(" ---> Running in ")) {
            currentRan = true;
        } else if (line.startsWith("Successfully built ")) {
            listener.onProgress(new BuildProgress(buildId, BuildProgress.Kind.INFO, 0, total, 100, "", line));
        } else if (!IMAGE_LINE.matcher(line).matches() && !line.startsWith("Removing intermediate container")
                && !line.isBlank()) {
            if (stepLines.size() == 20) {
                stepLines.removeFirst();
            }
            stepLines.addLast(line);
            emit(BuildProgress.Kind.LOG, line);
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
    void end(String error) {
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
        listener.onProgress(new BuildProgress(buildId, kind, currentNumber, total, percent,
                current == null ? "" : current, message));
    }

    List<StepTiming> steps() {
        return List.copyOf(finished);
    }

    /** The name of the step that was running last, or null. */
    String lastStepName() {
        return finished.isEmpty() ? null : finished.get(finished.size() - 1).name();
    }

    /** The last lines the current (or last) step printed. */
    List<String> lastLines() {
        return List.copyOf(stepLines);
    }

    Duration elapsed() {
        return first == null ? Duration.ZERO : Duration.between(first, clock.instant());
    }
}
