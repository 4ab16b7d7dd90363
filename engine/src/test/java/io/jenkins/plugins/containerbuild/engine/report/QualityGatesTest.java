package io.jenkins.plugins.containerbuild.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.GateConfig;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.report.GateReport.Outcome;
import io.jenkins.plugins.containerbuild.engine.steps.GateArguments;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityGatesTest {
    private static final GateConfig GATES = GateArguments.fromArguments(Map.of(
            "failIf", Map.of("cacheHitRateBelow", new BigDecimal("0.25"), "sizeGrowthAbovePercent", 20),
            "unstableIf", Map.of("cacheHitRateBelow", 0.5, "sizeGrowthAbovePercent", 10)));

    @Test
    void readsThresholds() {
        assertThat(GATES).isEqualTo(new GateConfig(0.25, 0.5, 20.0, 10.0));
        assertThat(GateArguments.fromArguments(GateArguments.toArguments(GATES)))
                .isEqualTo(GATES);
        assertThat(GateArguments.fromArguments(Map.of()).isEmpty()).isTrue();
        assertThat(QualityGates.fromArguments(Map.of("unstableIf", Map.of("cacheHitRateBelow", 1))))
                .isEqualTo(new GateConfig(null, 1.0, null, null));
    }

    @Test
    void refusesBadThresholds() {
        assertThatThrownBy(() -> GateArguments.fromArguments(Map.of("failIf", Map.of("cacheHitRateBelow", 50))))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessage("failIf.cacheHitRateBelow: must be a rate from 0 to 1 (0.5 means 50%), got 50.0");
        assertThatThrownBy(
                        () -> GateArguments.fromArguments(Map.of("unstableIf", Map.of("sizeGrowthAbovePercent", -1))))
                .hasMessageStartingWith("unstableIf.sizeGrowthAbovePercent: must be a percentage of at least 0");
        assertThatThrownBy(() -> GateArguments.fromArguments(Map.of("failIf", Map.of("cacheHitRate", 0.5))))
                .hasMessageContaining("failIf.cacheHitRate: unknown argument; did you mean 'cacheHitRateBelow'?");
        assertThatThrownBy(() -> GateArguments.fromArguments(Map.of("failIf", Map.of("cacheHitRateBelow", "high"))))
                .hasMessage("failIf.cacheHitRateBelow: expected a number, got the string 'high'");
        assertThatThrownBy(() -> GateArguments.fromArguments(Map.of("failif", Map.of())))
                .hasMessageContaining("did you mean 'failIf'?");
        assertThatThrownBy(() -> GateArguments.fromArguments(Map.of("failIf", 0.5)))
                .hasMessageStartingWith("failIf: expected a map");
    }

    @Test
    void passesWithEveryCheckListed() {
        GateReport r = QualityGates.evaluate(
                GATES, Records.sized(105_000_000, 4, 3, 1000), Records.sized(100_000_000, 4, 4, 1000));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.reasons()).isEmpty();
        assertThat(r.checks())
                .containsExactly(
                        "team/app:1: cache hit rate 75% (3 of 4 steps cached) is at or above 50%",
                        "team/app:1: image size 105.0 MB is +5% against 100.0 MB of the last successful build, within 10%");
    }

    @Test
    void unstableBelowTheUnstableThreshold() {
        GateReport r = QualityGates.evaluate(GATES, Records.sized(100_000_000, 3, 1, 1000), null);
        assertThat(r.outcome()).isEqualTo(Outcome.UNSTABLE);
        assertThat(r.reasons())
                .containsExactly(
                        "team/app:1: cache hit rate 33.3% (1 of 3 steps cached) is below the unstable threshold of 50%");
        assertThat(r.checks())
                .contains(
                        "team/app:1: size growth not checked: there is no earlier successful build with a known size");
    }

    @Test
    void unstableOnModerateGrowth() {
        GateReport r = QualityGates.evaluate(
                GATES, Records.sized(112_500_000, 4, 4, 1000), Records.sized(100_000_000, 4, 4, 1000));
        assertThat(r.outcome()).isEqualTo(Outcome.UNSTABLE);
        assertThat(r.reasons())
                .containsExactly("team/app:1: image size 112.5 MB is +12.5% against 100.0 MB of the"
                        + " last successful build, above the unstable threshold of 10%");
    }

    @Test
    void failBeatsUnstableAndListsBothReasons() {
        GateReport r = QualityGates.evaluate(
                GATES, Records.sized(130_000_000, 5, 1, 1000), Records.sized(100_000_000, 5, 5, 1000));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.reasons())
                .containsExactly(
                        "team/app:1: cache hit rate 20% (1 of 5 steps cached) is below the failure threshold of 25%",
                        "team/app:1: image size 130.0 MB is +30% against 100.0 MB of the last successful build, above the"
                                + " failure threshold of 20%");
    }

    @Test
    void shrinkingPassesAndFailedBuildFails() {
        GateReport shrink = QualityGates.evaluate(
                GATES, Records.sized(80_000_000, 2, 2, 1000), Records.sized(100_000_000, 2, 2, 1000));
        assertThat(shrink.outcome()).isEqualTo(Outcome.PASS);
        assertThat(shrink.checks()).anyMatch(c -> c.contains("is -20% against 100.0 MB"));
        GateReport failed = QualityGates.evaluate(GATES, Records.failed("w:1", "exit 1"), null);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(failed.reasons())
                .containsExactly("worker: the build did not succeed (FAILED), so the quality gates fail");
        assertThat(QualityGates.evaluate(null, Records.failed("w:1", "x"), null).outcome())
                .isEqualTo(Outcome.PASS);
    }

    @Test
    void noStepsSkipsTheCacheGateAndMergeTakesTheWorst() {
        GateReport none = QualityGates.evaluate(GATES, Records.sized(0, 0, 0, 10), null);
        assertThat(none.outcome()).isEqualTo(Outcome.PASS);
        assertThat(none.checks()).contains("team/app:1: cache hit rate not checked: the build reported no steps");
        GateReport unstable = new GateReport(Outcome.UNSTABLE, List.of("u"), List.of("u"));
        GateReport fail = new GateReport(Outcome.FAIL, List.of("f"), List.of("f"));
        assertThat(unstable.merge(fail).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(unstable.merge(fail).reasons()).containsExactly("u", "f");
        assertThat(fail.merge(unstable).outcome()).isEqualTo(Outcome.FAIL);
    }
}
