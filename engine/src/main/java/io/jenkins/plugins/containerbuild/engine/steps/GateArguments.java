package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.api.GateConfig;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code failIf} and {@code unstableIf} arguments as a {@link GateConfig}, and back. */
public final class GateArguments {
    /** The accepted top-level arguments. */
    public static final Set<String> ARGUMENTS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(BuildOption.FAIL_IF.key(), BuildOption.UNSTABLE_IF.key())));
    /** The accepted keys inside {@code failIf} and {@code unstableIf}. */
    public static final Set<String> CONDITIONS =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("cacheHitRateBelow", "sizeGrowthAbovePercent")));

    private GateArguments() {}

    /**
     * Reads {@code failIf: [cacheHitRateBelow: 0.5, sizeGrowthAbovePercent: 10], unstableIf: [...]}.
     * Other keys in {@code args} are refused, so pass only these two.
     *
     * @throws InvalidBuildContextException naming the key, for an unknown key, a non-number or a value out of range
     */
    public static GateConfig fromArguments(Map<String, ?> args) {
        return read(Arguments.of("", args, ARGUMENTS), "");
    }

    /** Reads the gates among a build's arguments, with {@code prefix} on every field in errors. */
    static GateConfig read(Arguments a, String prefix) {
        Arguments fail = Arguments.of(prefix + "failIf.", a.map("failIf"), CONDITIONS);
        Arguments unstable = Arguments.of(prefix + "unstableIf.", a.map("unstableIf"), CONDITIONS);
        try {
            return new GateConfig(
                    fail.number("cacheHitRateBelow"),
                    unstable.number("cacheHitRateBelow"),
                    fail.number("sizeGrowthAbovePercent"),
                    unstable.number("sizeGrowthAbovePercent"));
        } catch (InvalidBuildContextException e) {
            throw new InvalidBuildContextException(prefix + e.field(), Arguments.problem(e));
        }
    }

    /** The arguments that give {@code gates} again (thresholds that are off are left out). */
    public static Map<String, Object> toArguments(GateConfig gates) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> fail = conditions(gates.failIfCacheHitRateBelow(), gates.failIfSizeGrowthAbovePercent());
        Map<String, Object> unstable =
                conditions(gates.unstableIfCacheHitRateBelow(), gates.unstableIfSizeGrowthAbovePercent());
        if (!fail.isEmpty()) {
            m.put("failIf", fail);
        }
        if (!unstable.isEmpty()) {
            m.put("unstableIf", unstable);
        }
        return m;
    }

    private static Map<String, Object> conditions(Double rate, Double growth) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (rate != null) {
            m.put("cacheHitRateBelow", rate);
        }
        if (growth != null) {
            m.put("sizeGrowthAbovePercent", growth);
        }
        return m;
    }
}
