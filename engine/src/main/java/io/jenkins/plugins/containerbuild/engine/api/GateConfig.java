package io.jenkins.plugins.containerbuild.engine.api;

import java.io.Serializable;

/**
 * Thresholds of the quality gates ({@code failIf}, {@code unstableIf}); a null threshold is off.
 *
 * @param failIfCacheHitRateBelow          fail when the cache hit rate (0..1) is below this
 * @param unstableIfCacheHitRateBelow      mark unstable when the cache hit rate (0..1) is below this
 * @param failIfSizeGrowthAbovePercent     fail when the image grew by more than this many percent
 *                                         against the last successful build
 * @param unstableIfSizeGrowthAbovePercent mark unstable when the image grew by more than this many percent
 */
public record GateConfig(
        Double failIfCacheHitRateBelow,
        Double unstableIfCacheHitRateBelow,
        Double failIfSizeGrowthAbovePercent,
        Double unstableIfSizeGrowthAbovePercent)
        implements Serializable {

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
        return failIfCacheHitRateBelow == null
                && unstableIfCacheHitRateBelow == null
                && failIfSizeGrowthAbovePercent == null
                && unstableIfSizeGrowthAbovePercent == null;
    }

    private static void rate(String field, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            throw new InvalidBuildContextException(field, "must be a rate from 0 to 1 (0.5 means 50%), got " + v);
        }
    }

    private static void percent(String field, Double v) {
        if (v != null && !(v >= 0 && Double.isFinite(v))) {
            throw new InvalidBuildContextException(
                    field, "must be a percentage of at least 0 (10 means 10%), got " + v);
        }
    }
}
