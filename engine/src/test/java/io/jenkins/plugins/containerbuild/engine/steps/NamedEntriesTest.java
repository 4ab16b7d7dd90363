package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Map options given as maps or as [name:, value:] entries mean the same build. */
class NamedEntriesTest {
    @Test
    void bothShapesGiveTheSameSpec() {
        Map<String, Object> asMaps = Map.of(
                "buildArgs", Map.of("VERSION", "1"),
                "labels", Map.of("team", "a"),
                "extraHosts", Map.of("db", "10.0.0.5"));
        Map<String, Object> asEntries =
                NamedEntries.asEntries(asMaps, Set.of("buildArgs", "labels", "extraHosts", "tags"));
        assertThat(asEntries.get("buildArgs")).isEqualTo(List.of(Map.of("name", "VERSION", "value", "1")));
        BuildSpec a = BuildSpecArguments.fromArguments(asMaps);
        BuildSpec b = BuildSpecArguments.fromArguments(asEntries);
        assertThat(b).isEqualTo(a);
        assertThat(b.extraHosts()).containsEntry("db", "10.0.0.5");
    }

    @Test
    void aBadEntryIsNamed() {
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(Map.of(
                        "buildArgs", List.of(Map.of("name", "A", "value", "1"), Map.of("name", "A", "value", "2")))))
                .hasMessage("buildArgs[1].name: 'A' is given twice");
        assertThatThrownBy(() -> BuildSpecArguments.fromArguments(Map.of("labels", List.of(Map.of("key", "A")))))
                .hasMessageStartingWith("labels[0]: expected [name: 'NAME', value: 'value']");
    }

    @Test
    void dataBindingGetsTextValuesAndDecimalThresholds() {
        Map<String, Object> bound = NamedEntries.forDataBinding(
                Map.of("buildArgs", Map.of("N", 3, "F", true), "failIf", Map.of("sizeGrowthAbovePercent", 10)),
                Set.of("buildArgs"),
                Set.of("failIf", "unstableIf"));
        assertThat(new java.util.HashSet<Object>((List<?>) bound.get("buildArgs")))
                .isEqualTo(java.util.Set.of(Map.of("name", "N", "value", "3"), Map.of("name", "F", "value", "true")));
        assertThat(bound.get("failIf")).isEqualTo(Map.of("sizeGrowthAbovePercent", 10.0));
        assertThat(BuildSpecArguments.fromArguments(bound).buildArgs()).containsEntry("N", "3");
    }

    @Test
    void dataBindingRefusesWhatItWouldOtherwiseDrop() {
        assertThatThrownBy(() -> NamedEntries.forDataBinding(
                        Map.of("failIf", Map.of("cacheHitRate", 0.5)), Set.of(), Set.of("failIf")))
                .hasMessageStartingWith("failIf.cacheHitRate: is not a gate; use ");
        assertThatThrownBy(() -> NamedEntries.forDataBinding(
                        Map.of("labels", List.of(Map.of("name", "a", "value", "b", "x", 1))),
                        Set.of("labels"),
                        Set.of()))
                .hasMessageStartingWith("labels[0]: expected [name: 'NAME', value: 'value']");
        assertThat(NamedEntries.forDataBinding(
                                Map.of("labels", List.of(Map.of("name", "n", "value", 2))), Set.of("labels"), Set.of())
                        .get("labels"))
                .isEqualTo(List.of(Map.of("name", "n", "value", "2")));
    }
}
