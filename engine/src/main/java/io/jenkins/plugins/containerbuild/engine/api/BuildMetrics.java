package io.jenkins.plugins.containerbuild.engine.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What was measured about one build. Holds no secret material: error texts are masked before they
 * get here.
 */
public final class BuildMetrics {
    private final Instant start;
    private final Instant end;
    private final BuildStatus status;
    private final int stepsTotal;
    private final int stepsCached;
    private final List<StepTiming> steps;
    private final int layers;
    private final long imageSizeBytes;
    private final long contextBytes;
    private final Backend backend;
    private final String error;
    private final Duration daemonTime;
    private final List<String> cacheImports;
    private final List<String> cacheExports;
    private final String cacheManifest;
    private final List<String> attestationManifests;

    private BuildMetrics(Builder b) {
        this.start = Objects.requireNonNull(b.start, "start");
        this.end = b.end == null ? b.start : b.end;
        this.status = Objects.requireNonNull(b.status, "status");
        this.steps = List.copyOf(b.steps);
        this.stepsTotal = b.stepsTotal >= 0 ? b.stepsTotal : steps.size();
        this.stepsCached = b.stepsCached >= 0
                ? b.stepsCached
                : (int) steps.stream().filter(StepTiming::cached).count();
        this.layers = b.layers;
        this.imageSizeBytes = b.imageSizeBytes;
        this.contextBytes = b.contextBytes;
        this.backend = Objects.requireNonNull(b.backend, "backend");
        this.error = b.error;
        this.daemonTime = b.daemonTime == null ? Duration.ZERO : b.daemonTime;
        this.cacheImports = List.copyOf(b.cacheImports);
        this.cacheExports = List.copyOf(b.cacheExports);
        this.cacheManifest = b.cacheManifest;
        this.attestationManifests = List.copyOf(b.attestationManifests);
    }

    /** Where the build took cache from ({@code cacheFrom}: image references and {@code type=local} imports). */
    public List<String> cacheImports() {
        return cacheImports;
    }

    /** Where the build exported its cache ({@code cacheTo}, canonical). */
    public List<String> cacheExports() {
        return cacheExports;
    }

    /** The digest of the cache manifest a registry or local cache export wrote, or null. */
    public String cacheManifest() {
        return cacheManifest;
    }

    /** The digests of the attestation manifests (SLSA provenance) stored beside the image; empty for none. */
    public List<String> attestationManifests() {
        return attestationManifests;
    }

    /**
     * The time the daemon reports for the build: from its first step's start to its last step's completion,
     * taken from the progress trace (BuildKit); zero when unknown. {@code duration() - daemonTime()} is what
     * the engine and the transport added.
     */
    public Duration daemonTime() {
        return daemonTime;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    public BuildStatus status() {
        return status;
    }

    /** Steps of the Dockerfile the daemon ran or took from cache (internal steps not counted). */
    public int stepsTotal() {
        return stepsTotal;
    }

    public int stepsCached() {
        return stepsCached;
    }

    /** Same as {@link #stepsCached()}: a step is one cache lookup. */
    public int cacheHits() {
        return stepsCached;
    }

    public int cacheMisses() {
        return stepsTotal - stepsCached;
    }

    /** Cache hits divided by steps, 0 when there were no steps. */
    public double cacheHitRate() {
        return stepsTotal == 0 ? 0 : (double) stepsCached / stepsTotal;
    }

    /** Per-step timings in the order the daemon first reported the steps. */
    public List<StepTiming> steps() {
        return steps;
    }

    /** Layers of the built image, 0 when unknown. */
    public int layers() {
        return layers;
    }

    /** Size of the built image in bytes, 0 when unknown. */
    public long imageSizeBytes() {
        return imageSizeBytes;
    }

    /** Bytes of build context sent to the daemon. */
    public long contextBytes() {
        return contextBytes;
    }

    public Backend backend() {
        return backend;
    }

    /** The error that ended the build, or null. */
    public String error() {
        return error;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.start = start;
        b.end = end;
        b.status = status;
        b.stepsTotal = stepsTotal;
        b.stepsCached = stepsCached;
        b.steps = steps;
        b.layers = layers;
        b.imageSizeBytes = imageSizeBytes;
        b.contextBytes = contextBytes;
        b.backend = backend;
        b.error = error;
        b.daemonTime = daemonTime;
        b.cacheImports = cacheImports;
        b.cacheExports = cacheExports;
        b.cacheManifest = cacheManifest;
        b.attestationManifests = attestationManifests;
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return String.format(
                "status=%s duration=%dms steps=%d cached=%d layers=%d size=%d context=%d backend=%s%s",
                status,
                duration().toMillis(),
                stepsTotal,
                stepsCached,
                layers,
                imageSizeBytes,
                contextBytes,
                backend,
                error == null ? "" : " error=" + error);
    }

    /** Builder for {@link BuildMetrics}. */
    public static final class Builder {
        private Instant start;
        private Instant end;
        private BuildStatus status;
        private int stepsTotal = -1;
        private int stepsCached = -1;
        private List<StepTiming> steps = List.of();
        private int layers;
        private long imageSizeBytes;
        private long contextBytes;
        private Backend backend;
        private String error;
        private Duration daemonTime;
        private List<String> cacheImports = List.of();
        private List<String> cacheExports = List.of();
        private String cacheManifest;
        private List<String> attestationManifests = List.of();

        private Builder() {}

        public Builder cacheImports(List<String> v) {
            cacheImports = Objects.requireNonNull(v, "cacheImports");
            return this;
        }

        public Builder cacheExports(List<String> v) {
            cacheExports = Objects.requireNonNull(v, "cacheExports");
            return this;
        }

        public Builder cacheManifest(String v) {
            cacheManifest = v;
            return this;
        }

        public Builder attestationManifests(List<String> v) {
            attestationManifests = Objects.requireNonNull(v, "attestationManifests");
            return this;
        }

        public Builder start(Instant v) {
            start = v;
            return this;
        }

        public Builder end(Instant v) {
            end = v;
            return this;
        }

        public Builder status(BuildStatus v) {
            status = v;
            return this;
        }

        /** Overrides the count derived from {@link #steps(List)}. */
        public Builder stepsTotal(int v) {
            stepsTotal = v;
            return this;
        }

        /** Overrides the count derived from {@link #steps(List)}. */
        public Builder stepsCached(int v) {
            stepsCached = v;
            return this;
        }

        public Builder steps(List<StepTiming> v) {
            steps = List.copyOf(v);
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder imageSizeBytes(long v) {
            imageSizeBytes = v;
            return this;
        }

        public Builder contextBytes(long v) {
            contextBytes = v;
            return this;
        }

        public Builder backend(Backend v) {
            backend = v;
            return this;
        }

        /** See {@link BuildMetrics#daemonTime()}. */
        public Builder daemonTime(Duration v) {
            daemonTime = v;
            return this;
        }

        public Builder error(String v) {
            error = v;
            return this;
        }

        public BuildMetrics build() {
            return new BuildMetrics(this);
        }
    }
}
