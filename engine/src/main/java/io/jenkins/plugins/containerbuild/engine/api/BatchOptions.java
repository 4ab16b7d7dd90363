package io.jenkins.plugins.containerbuild.engine.api;

import java.time.Duration;

/** How {@link BuildEngine#buildBatch} runs its builds. */
public final class BatchOptions {
    private final int maxParallel;
    private final boolean failFast;
    private final Duration timeout;

    private BatchOptions(Builder b) {
        if (b.maxParallel < 1 || b.maxParallel > 64) {
            throw new InvalidBuildContextException("maxParallel", "must be between 1 and 64, got " + b.maxParallel);
        }
        if (b.timeout != null && (b.timeout.isNegative() || b.timeout.isZero())) {
            throw new InvalidBuildContextException("timeout", "must be positive, got " + b.timeout);
        }
        this.maxParallel = b.maxParallel;
        this.failFast = b.failFast;
        this.timeout = b.timeout;
    }

    /** Builds never run more than this many at once. */
    public int maxParallel() {
        return maxParallel;
    }

    /** The first failure cancels the builds still running and the ones not started. */
    public boolean failFast() {
        return failFast;
    }

    /** Each build's time limit, or null for none. */
    public Duration timeout() {
        return timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "BatchOptions{maxParallel=" + maxParallel + ", failFast=" + failFast + ", timeout=" + timeout + "}";
    }

    /** Builder for {@link BatchOptions}. */
    public static final class Builder {
        private int maxParallel = 4;
        private boolean failFast;
        private Duration timeout;

        private Builder() {}

        public Builder maxParallel(int v) {
            maxParallel = v;
            return this;
        }

        public Builder failFast(boolean v) {
            failFast = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public BatchOptions build() {
            return new BatchOptions(this);
        }
    }
}
