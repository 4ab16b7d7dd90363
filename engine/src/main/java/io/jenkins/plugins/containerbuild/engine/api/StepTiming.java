package io.jenkins.plugins.containerbuild.engine.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one step took and whether the daemon took it from cache.
 *
 * @param name     the step's name as the daemon shows it
 * @param duration time from started to completed (zero for cached steps)
 * @param cached   true when the step was a cache hit
 */
public record StepTiming(String name, Duration duration, boolean cached) {
    public StepTiming {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
    }
}
