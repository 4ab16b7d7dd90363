package io.jenkins.plugins.containerbuild.engine.report;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.steps.Arguments;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Thresholds of the quality gates; a null threshold is off.
 *
 * @param failIfCacheHitRateBelow          fail when the cache hit rate (0..1) is below this
 * @param unstableIfCacheHitRateBelow      mark unstable when the cache hit rate (0..1) is below this
 * @param failIfSizeGrowthAbovePercent     fail when the image grew by more than this many percent
 *                                         against the last successful build
 * @param unstableIfSizeGrowthAbovePercent mark unstable when the image grew by more than this many percent
 */
public record GateConfig(Double failIfCacheHitRateBelow, Double unstableIfCacheHitRateBelow,
        Double failIfSizeGrowthAbovePercent, Double unstableIfSizeGrowthAbovePercent) implements Serializable {
    /** The accepted top-level arguments. */
    public static final Set<String> ARGUMENTS = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of("failIf", "unstableIf")));
    /** The accepted keys inside {@code failIf} and {@code unstableIf}. */
    public static final Set<String> CONDITIONS = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of("cacheHitRateBelow", "sizeGrowthAbovePercent")));

    /** Checks the ranges: rates 0..1, percentages at least 0. */
    public GateConfig {
        rate("failIf.cacheHitRateBelow", failIfCacheHitRateBelow);
        rate("unstableIf.cacheHitRateBelow", unstableIfCacheHitRateBelow);
        percent("failIf.sizeGrowthAbovePercent", failIfSizeGrowthAbovePercent);
        percent("unstableIf.sizeGrowthAbovePercent", unstableIfSizeGrowthAbovePercent);
    }

    /** No gate at all. */
    public static GateConfig none() {
        return new GateConfig(null, null, null, null);
    }

    /** True when no threshold is set. */
    public boolean isEmpty() {
        return failIfCacheHitRateBelow == null && unstableIfCacheHitRateBelow == null
                && failIfSizeGrowthAbovePercent == null && unstableIfSizeGrowthAbovePercent == null;
    }

    /**
     * Reads {@code failIf: [cacheHitRateBelow: 0.5, sizeGrowthAbovePercent: 10], unstableIf: [...]}.
     * Other keys in {@code args} are refused, so pass only these two.
     *
     * @throws InvalidBuildContextException naming the key, for an unknown key, a non-number or a value out of range
     */
    public static GateConfig fromArguments(Map<String, ?> args) {
        Arguments a = Arguments.of("", args, ARGUMENTS);
        Arguments fail = Arguments.of("failIf.", a.map("failIf"), CONDITIONS);
        Arguments unstable = Arguments.of("unstableIf.", a.map("unstableIf"), CONDITIONS);
        return new GateConfig(fail.number("cacheHitRateBelow"), unstable.number("cacheHitRateBelow"),
                fail.number("sizeGrowthAbovePercent"), unstable.number("sizeGrowthAbovePercent"));
    }

    /** The arguments that give this configuration again (thresholds that are off are left out). */
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> fail = conditions(failIfCacheHitRateBelow, failIfSizeGrowthAbovePercent);
        Map<String, Object> unstable = conditions(unstableIfCacheHitRateBelow, unstableIfSizeGrowthAbovePercent);
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

    private static void rate(String field, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            throw new InvalidBuildContextException(field, "must be a rate from 0 to 1 (0.5 means 50%), got " + v);
        }
    }

    private static void percent(String field, Double v) {
        if (v != null && !(v >= 0 && Double.isFinite(v))) {
            throw new InvalidBuildContextException(field, "must be a percentage of at least 0 (10 means 10%), got " + v);
        }
    }
}
