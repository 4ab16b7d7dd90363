package io.jenkins.plugins.containerbuild.engine.podman;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.build.ExitCodes;
import io.jenkins.plugins.containerbuild.engine.classic.ClassicStepTracker;
import io.jenkins.plugins.containerbuild.engine.classic.StreamDialect;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Podman's stream (recorded from Podman 4.3.1's compat /build) through the shared classic tracker. */
class PodmanStreamDialectTest {
    private final List<BuildProgress> events = new ArrayList<>();

    private ClassicStepTracker tracker() {
        return new ClassicStepTracker(
                StreamDialect.podman(), "b1", events::add, UnaryOperator.identity(), Clock.systemUTC());
    }

    @Test
    void multiStageRebuildIsAllCachedWithStagesNumberedOverall() {
        ClassicStepTracker t = tracker();
        List.of(
                        "[1/2] STEP 1/3: FROM local/busybox:latest AS build\n",
                        "[1/2] STEP 2/3: ARG GREETING=hello\n",
                        "--> Using cache 8abcac1cb747871a27e72e7f9cfb076479347c578b7245548127c44a29da950f\n",
                        "--> 8abcac1cb74\n",
                        "[1/2] STEP 3/3: RUN echo hi > /f\n",
                        "--> Using cache 45eb656d09fa435de2d82726b358b3372461ecb83dd590d615a1363b30a28587\n",
                        "--> 45eb656d09f\n",
                        "[2/2] STEP 1/2: FROM local/busybox:latest AS final\n",
                        "[2/2] STEP 2/2: COPY --from=build /f /f\n",
                        "--> Using cache e74388f0aa28ba6dd6cc9a6d4cb1aed70efbf5265d0a09aed5c4450fb809cb56\n",
                        "[2/2] COMMIT docker.io/cbtest/hello:1\n",
                        "--> 4907f2e0ab2\n",
                        "Successfully tagged docker.io/cbtest/hello:1\n",
                        "4907f2e0ab2cef941c8e92121bcc002939c0a80ef5de07a495b4f0272600b664\n")
                .forEach(t::accept);
        t.end(null);
        List<StepTiming> steps = t.steps();
        assertThat(steps)
                .extracting(StepTiming::name)
                .containsExactly(
                        "[1/2 1/3] FROM local/busybox:latest AS build",
                        "[1/2 2/3] ARG GREETING=hello",
                        "[1/2 3/3] RUN echo hi > /f",
                        "[2/2 1/2] FROM local/busybox:latest AS final",
                        "[2/2 2/2] COPY --from=build /f /f");
        assertThat(steps).allMatch(StepTiming::cached);
        // Overall numbers 1..5; the total grows with the second stage (3, then 3 + 2).
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.STEP_STARTED)
                .extracting(BuildProgress::step)
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.STEP_STARTED)
                .extracting(BuildProgress::totalSteps)
                .containsExactly(3, 3, 3, 5, 5);
        // Layer ids, COMMIT and the bare image id are bookkeeping, not log output.
        assertThat(events).filteredOn(e -> e.kind() == BuildProgress.Kind.LOG).isEmpty();
        assertThat(events)
                .anyMatch(e -> e.kind() == BuildProgress.Kind.INFO
                        && e.message().equals("Successfully tagged docker.io/cbtest/hello:1"));
    }

    @Test
    void runOutputMarksWorkAndAFailureNamesTheStepAndExitStatus() {
        ClassicStepTracker t = tracker();
        List.of(
                        "STEP 1/3: FROM local/busybox:latest\n",
                        "STEP 2/3: RUN echo hi-out && echo to-err >&2\n",
                        "hi-out\n",
                        "to-err\n",
                        "--> 4f54783e942\n",
                        "STEP 3/3: RUN exit 7\n")
                .forEach(t::accept);
        String error = "building at STEP \"RUN exit 7\": while running runtime: exit status 7\n";
        t.end(error);
        assertThat(t.steps())
                .extracting(StepTiming::name)
                .containsExactly(
                        "[1/3] FROM local/busybox:latest",
                        "[2/3] RUN echo hi-out && echo to-err >&2",
                        "[3/3] RUN exit 7");
        assertThat(t.steps()).extracting(StepTiming::cached).containsExactly(true, false, false);
        assertThat(t.lastStepName()).isEqualTo("[3/3] RUN exit 7");
        assertThat(ExitCodes.find(error)).isEqualTo(7);
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.LOG)
                .extracting(BuildProgress::message)
                .containsExactly("hi-out", "to-err");
        assertThat(events)
                .anyMatch(e -> e.kind() == BuildProgress.Kind.STEP_FAILED
                        && e.vertexName().equals("[3/3] RUN exit 7"));
    }

    @Test
    void aFromThatPullsIsNoCacheHit() {
        ClassicStepTracker t = tracker();
        List.of("STEP 1/1: FROM example.org/base:1\n", "Trying to pull example.org/base:1...\n", "COMMIT\n")
                .forEach(t::accept);
        t.end(null);
        assertThat(t.steps()).singleElement().matches(s -> !s.cached());
    }
}
