package io.jenkins.plugins.containerbuild.engine.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One build as the builder itself remembers it (BuildKit's build history), whichever client ran it.
 *
 * @param ref         the build's reference (the engine's build id for its own builds)
 * @param frontend    the frontend that ran it, e.g. {@code dockerfile.v0}
 * @param createdAt   when it started
 * @param completedAt when it ended, or null while it runs
 * @param error       its error message, or null when it succeeded (or runs)
 * @param cachedSteps how many of its steps were cached
 * @param totalSteps  how many steps it had
 */
public record BuilderBuild(
        String ref,
        String frontend,
        Instant createdAt,
        Instant completedAt,
        String error,
        int cachedSteps,
        int totalSteps) {
    public BuilderBuild {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** How long it ran; null while it runs. */
    public Duration duration() {
        return completedAt == null ? null : Duration.between(createdAt, completedAt);
    }

    /** {@code running}, {@code succeeded} or {@code failed}. */
    public String state() {
        return completedAt == null ? "running" : error == null ? "succeeded" : "failed";
    }
}
