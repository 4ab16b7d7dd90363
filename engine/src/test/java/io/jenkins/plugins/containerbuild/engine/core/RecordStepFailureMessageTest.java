package io.jenkins.plugins.containerbuild.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a failed build's message says: the step, its exit code and output, and a full disk named with its builder. */
class RecordStepFailureMessageTest {
    private static final String BUILDER = "the buildkitd at tcp://10.0.0.5:1234";

    private static BackendOutcome failed(String error, Integer exitCode, List<String> lastLines) {
        return new BackendOutcome(
                BuildStatus.FAILED, null, List.of(), 0, error, "[2/2] RUN make", exitCode, lastLines, Duration.ZERO);
    }

    @Test
    void aStepThatFailedSaysWhichWithItsExitCodeAndOutput() {
        String m = RecordStep.failureMessage(failed("exit code: 2", 2, List.of("make: *** no rule")), BUILDER);
        assertThat(m)
                .startsWith("build failed at step '[2/2] RUN make' (exit code 2): exit code: 2")
                .contains("last output of the step:\n  make: *** no rule")
                .doesNotContain(BUILDER);
    }

    @Test
    void aStepThatRanOutOfSpaceNamesTheBuilderAndTheFix() {
        String m = RecordStep.failureMessage(
                failed("exit code: 1", 1, List.of("dd: error writing '/fill': No space left on device")), BUILDER);
        assertThat(m).contains(BUILDER + " has no space left on its disk").contains("prune its build cache");
    }

    @Test
    void theBuilderItselfOutOfSpaceIsNamedToo() {
        String m = RecordStep.failureMessage(
                failed("failed to copy files: write /var/lib/buildkit/x: no space left on device", null, List.of()),
                BUILDER);
        assertThat(m).contains(BUILDER + " has no space left on its disk");
    }
}
