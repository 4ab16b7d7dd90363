package io.jenkins.plugins.containerbuild.engine.report;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One point of the trend: a run's label (e.g. {@code #42}), its build time and its cache hit rate.
 *
 * @param label          shown under the x axis; escaped when rendered
 * @param durationMillis the build time
 * @param cacheHitRate   0..1
 */
public record TrendPoint(String label, long durationMillis, double cacheHitRate) implements Serializable {
    public TrendPoint {
        Objects.requireNonNull(label, "label");
        if (durationMillis < 0) {
            throw new IllegalArgumentException("durationMillis must not be negative: " + durationMillis);
        }
        if (!(cacheHitRate >= 0 && cacheHitRate <= 1)) {
            throw new IllegalArgumentException("cacheHitRate must be from 0 to 1: " + cacheHitRate);
        }
    }

    /**
     * The point for a run that built several images: the sum of their build times and the cache hit
     * rate over all their steps.
     */
    public static TrendPoint of(String label, List<BuildRecord> records) {
        long millis = 0;
        int steps = 0;
        int cached = 0;
        for (BuildRecord r : records) {
            millis += r.getDurationMillis();
            steps += r.getStepsTotal();
            cached += r.getStepsCached();
        }
        return new TrendPoint(label, millis, steps == 0 ? 0 : (double) cached / steps);
    }
}
