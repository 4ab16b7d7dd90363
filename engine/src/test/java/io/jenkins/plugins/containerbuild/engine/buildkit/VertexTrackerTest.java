package io.jenkins.plugins.containerbuild.engine.buildkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.StatusResponse;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Vertex;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.VertexLog;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decodes a trace recorded from dockerd 20.10 (a RUN that prints two lines, then a RUN exit 3). */
class VertexTrackerTest {

    private static List<BuildProgress> replay(VertexTracker tracker) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                VertexTrackerTest.class.getResourceAsStream("/traces/run-fails-exit-3.jsonl"),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonValue n = Json.parse(line);
                if (n.path("id").asText().equals("moby.buildkit.trace")) {
                    tracker.accept(StatusResponse.parseFrom(
                            Base64.getDecoder().decode(n.path("aux").asText())));
                }
            }
        }
        return List.of();
    }

    @Test
    void recordedTraceGivesStepsLogsTimingsAndTheFailure() throws Exception {
        List<BuildProgress> events = new ArrayList<>();
        VertexTracker tracker = new VertexTracker("b1", events::add, s -> s);
        replay(tracker);

        assertThat(tracker.steps())
                .extracting(StepTiming::name)
                .containsExactly(
                        "[1/3] FROM docker.io/local/busybox:latest",
                        "[2/3] RUN echo line-one && echo line-two",
                        "[3/3] RUN exit 3");
        assertThat(tracker.steps().get(1).cached()).isFalse();
        assertThat(tracker.steps().get(1).duration()).isPositive();
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.LOG)
                .extracting(BuildProgress::message)
                .containsSubsequence("line-one", "line-two");
        assertThat(events)
                .filteredOn(
                        e -> e.kind() == BuildProgress.Kind.LOG && e.message().equals("line-one"))
                .allMatch(e -> e.step() == 2 && e.vertexName().contains("echo line-one"));
        assertThat(tracker.failure()).hasValueSatisfying(f -> {
            assertThat(f.name()).isEqualTo("[3/3] RUN exit 3");
            assertThat(f.error()).contains("exit code: 3");
        });
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.STEP_FAILED)
                .hasSize(1);
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.STEP_DONE && e.step() > 0)
                .extracting(BuildProgress::step)
                .contains(2);
        assertThat(tracker.daemonTime()).isPositive();
    }

    @Test
    void logChunksSplitMidLineAreJoinedAndMasked() {
        List<BuildProgress> events = new ArrayList<>();
        VertexTracker tracker = new VertexTracker("b1", events::add, s -> s.replace("s3cr3t", "****"));
        Timestamp t0 = Timestamp.newBuilder().setSeconds(100).build();
        Timestamp t1 = Timestamp.newBuilder().setSeconds(102).build();
        tracker.accept(StatusResponse.newBuilder()
                .addVertexes(Vertex.newBuilder()
                        .setDigest("d1")
                        .setName("[1/1] RUN x")
                        .setStarted(t0))
                .build());
        tracker.accept(StatusResponse.newBuilder()
                .addLogs(VertexLog.newBuilder().setVertex("d1").setMsg(ByteString.copyFromUtf8("token=s3c")))
                .build());
        tracker.accept(StatusResponse.newBuilder()
                .addLogs(VertexLog.newBuilder().setVertex("d1").setMsg(ByteString.copyFromUtf8("r3t ok\nlast")))
                .build());
        tracker.accept(StatusResponse.newBuilder()
                .addVertexes(Vertex.newBuilder()
                        .setDigest("d1")
                        .setName("[1/1] RUN x")
                        .setStarted(t0)
                        .setCompleted(t1))
                .build());

        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.LOG)
                .extracting(BuildProgress::message)
                .containsExactly("token=**** ok", "last");
        assertThat(tracker.steps()).singleElement().satisfies(s -> {
            assertThat(s.duration().toSeconds()).isEqualTo(2);
            assertThat(s.cached()).isFalse();
        });
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.STEP_DONE)
                .singleElement()
                .satisfies(e -> assertThat(e.percent()).isEqualTo(100));
    }

    @Test
    void cachedVertexIsReportedOnceAsCached() {
        List<BuildProgress> events = new ArrayList<>();
        VertexTracker tracker = new VertexTracker("b1", events::add, s -> s);
        Timestamp t0 = Timestamp.newBuilder().setSeconds(100).build();
        Vertex v = Vertex.newBuilder()
                .setDigest("d2")
                .setName("[2/2] COPY a b")
                .setCached(true)
                .setStarted(t0)
                .setCompleted(t0)
                .build();
        tracker.accept(StatusResponse.newBuilder().addVertexes(v).build());
        tracker.accept(StatusResponse.newBuilder().addVertexes(v).build());
        assertThat(events).extracting(BuildProgress::kind).containsExactly(BuildProgress.Kind.STEP_CACHED);
        assertThat(tracker.steps()).singleElement().matches(StepTiming::cached);
    }

    private static Vertex vertex(String digest, String name, String... inputs) {
        return Vertex.newBuilder()
                .setDigest(digest)
                .setName(name)
                .addAllInputs(List.of(inputs))
                .build();
    }

    /**
     * BuildKit v0.13 (dockerd 26) lists a build's vertexes about in reverse; the shared base image is named after
     * the last stage ({@code [final 1/2] FROM}) although the first stage builds on it. Steps are still numbered
     * in Dockerfile order, and reported in it.
     */
    @Test
    void stepsAreNumberedInDockerfileOrderWhateverOrderTheDaemonListsThem() {
        List<BuildProgress> events = new ArrayList<>();
        VertexTracker tracker = new VertexTracker("b1", events::add, s -> s, List.of("build", "final"));
        tracker.accept(StatusResponse.newBuilder()
                .addVertexes(vertex("d6", "exporting to image"))
                .addVertexes(vertex("d5", "[final 2/2] COPY --from=build /src/release.txt /srv/", "d1", "d4"))
                .addVertexes(vertex("d4", "[build 4/4] RUN make", "d3"))
                .addVertexes(vertex("d3", "[build 3/4] COPY app/ ./", "d2", "ctx"))
                .addVertexes(vertex("ctx", "[internal] load build context"))
                .addVertexes(vertex("d2", "[build 2/4] WORKDIR /src", "d1"))
                .addVertexes(vertex("d1", "[final 1/2] FROM docker.io/local/busybox:latest"))
                .build());
        Timestamp t = Timestamp.newBuilder().setSeconds(1).build();
        StatusResponse.Builder started = StatusResponse.newBuilder();
        for (String d : List.of("d5", "d4", "d3", "d2", "d1")) {
            started.addVertexes(Vertex.newBuilder()
                    .setDigest(d)
                    .setStarted(t)
                    .setCompleted(t)
                    .setCached(true));
        }
        tracker.accept(started.build());

        assertThat(tracker.steps())
                .extracting(StepTiming::name)
                .containsExactly(
                        "[final 1/2] FROM docker.io/local/busybox:latest",
                        "[build 2/4] WORKDIR /src",
                        "[build 3/4] COPY app/ ./",
                        "[build 4/4] RUN make",
                        "[final 2/2] COPY --from=build /src/release.txt /srv/");
        assertThat(events)
                .filteredOn(e -> e.kind() == BuildProgress.Kind.STEP_CACHED)
                .extracting(e -> e.step() + " "
                        + e.vertexName().substring(0, e.vertexName().indexOf(']') + 1))
                .containsExactly("1 [final 1/2]", "2 [build 2/4]", "3 [build 3/4]", "4 [build 4/4]", "5 [final 2/2]");
    }

    /** v0.8 leaves a stage without AS unnamed ({@code [2/3]}), v0.13 calls it {@code stage-<index>}. */
    @Test
    void unnamedStagesAreOrderedByTheirIndex() {
        VertexTracker tracker = new VertexTracker("b1", p -> {}, s -> s, List.of("", ""));
        tracker.accept(StatusResponse.newBuilder()
                .addVertexes(vertex("b2", "[stage-1 2/2] RUN b"))
                .addVertexes(vertex("a2", "[stage-0 2/2] RUN a"))
                .addVertexes(vertex("b1", "[stage-1 1/2] FROM x"))
                .addVertexes(vertex("a1", "[stage-0 1/2] FROM y"))
                .build());
        Timestamp t = Timestamp.newBuilder().setSeconds(1).build();
        StatusResponse.Builder done = StatusResponse.newBuilder();
        for (String d : List.of("a1", "a2", "b1", "b2")) {
            done.addVertexes(Vertex.newBuilder().setDigest(d).setStarted(t).setCompleted(t));
        }
        tracker.accept(done.build());
        assertThat(tracker.steps())
                .extracting(StepTiming::name)
                .containsExactly(
                        "[stage-0 1/2] FROM y", "[stage-0 2/2] RUN a", "[stage-1 1/2] FROM x", "[stage-1 2/2] RUN b");
    }
}
