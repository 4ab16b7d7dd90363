package io.jenkins.plugins.containerbuild.engine.report;

import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What is kept of one built (or failed) image: the facts the summary, the detail page, the trend and
 * the quality gates show. A plain final class with private final fields of JDK types, so Jenkins can
 * store it with XStream (records cannot be restored by XStream) and Java serialization works too.
 * Getters follow the bean convention so Jelly views can read them.
 */
public final class BuildRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final ArrayList<String> tags;
    private final String imageId;
    private final String digest;
    private final ArrayList<String> platforms;
    private final BuildStatus status;
    private final long durationMillis;
    private final int stepsTotal;
    private final int stepsCached;
    private final int layers;
    private final long imageSizeBytes;
    private final long contextBytes;
    private final String backend;
    private final String error;
    private final ArrayList<StepRecord> steps;
    private final long startedAt;
    private final ArrayList<String> cacheImports;
    private final ArrayList<String> cacheExports;
    private final String cacheManifest;
    private final ArrayList<String> attestationManifests;

    private BuildRecord(
            String name, List<String> tags, String imageId, String digest, List<String> platforms, BuildMetrics m) {
        this.name = name;
        this.tags = new ArrayList<>(tags == null ? List.of() : tags);
        this.imageId = imageId;
        this.digest = digest;
        this.platforms = new ArrayList<>(platforms == null ? List.of() : platforms);
        this.status = m.status();
        this.durationMillis = m.duration().toMillis();
        this.stepsTotal = m.stepsTotal();
        this.stepsCached = m.stepsCached();
        this.layers = m.layers();
        this.imageSizeBytes = m.imageSizeBytes();
        this.contextBytes = m.contextBytes();
        this.backend = m.backend().name();
        this.error = m.error();
        this.steps = new ArrayList<>();
        for (StepTiming t : m.steps()) {
            steps.add(StepRecord.of(t));
        }
        this.startedAt = m.start().toEpochMilli();
        this.cacheImports = new ArrayList<>(m.cacheImports());
        this.cacheExports = new ArrayList<>(m.cacheExports());
        this.cacheManifest = m.cacheManifest();
        this.attestationManifests = new ArrayList<>(m.attestationManifests());
    }

    /** Where the build took cache from; empty for none (and for records older than this field). */
    public List<String> getCacheImports() {
        return cacheImports == null ? List.of() : Collections.unmodifiableList(cacheImports);
    }

    /** Where the build exported its cache; empty for none. */
    public List<String> getCacheExports() {
        return cacheExports == null ? List.of() : Collections.unmodifiableList(cacheExports);
    }

    /** The digest of the exported cache manifest, or null. */
    public String getCacheManifest() {
        return cacheManifest;
    }

    /** The digests of the provenance attestation manifests stored beside the image; empty for none. */
    public List<String> getAttestationManifests() {
        return attestationManifests == null ? List.of() : Collections.unmodifiableList(attestationManifests);
    }

    /**
     * The record of a successful build.
     *
     * @param digest    the pushed image's (or manifest list's) digest, or null when not pushed
     * @param platforms the platforms built, e.g. {@code linux/amd64}; empty or null for the daemon's own
     */
    public static BuildRecord of(BuildResult r, String digest, List<String> platforms) {
        return of(null, r, digest, platforms);
    }

    /** As {@link #of(BuildResult, String, List)}, with a display name (e.g. of a batch entry). */
    public static BuildRecord of(String name, BuildResult r, String digest, List<String> platforms) {
        Objects.requireNonNull(r, "result");
        return new BuildRecord(name, r.tags(), r.imageId(), digest, platforms, r.metrics());
    }

    /** The record of a build that did not produce an image; {@code m} carries its status and error. */
    public static BuildRecord failed(String name, List<String> tags, BuildMetrics m) {
        return new BuildRecord(name, tags, null, null, List.of(), Objects.requireNonNull(m, "metrics"));
    }

    /** A display name given by the user, or null. */
    public String getName() {
        return name;
    }

    /** What to call this image: the name, else the first tag, else the short image id, else "image". */
    public String getDisplayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        if (!getTags().isEmpty()) {
            return getTags().get(0);
        }
        return imageId != null ? Units.shortId(imageId) : "image";
    }

    public List<String> getTags() {
        return tags == null ? List.of() : Collections.unmodifiableList(tags);
    }

    /** The image id ({@code sha256:…}), or null for a failed build. */
    public String getImageId() {
        return imageId;
    }

    /** The registry digest, or null when the image was not pushed. */
    public String getDigest() {
        return digest;
    }

    public List<String> getPlatforms() {
        return platforms == null ? List.of() : Collections.unmodifiableList(platforms);
    }

    public BuildStatus getStatus() {
        return status;
    }

    public boolean isSuccess() {
        return status == BuildStatus.SUCCESS;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    public int getStepsTotal() {
        return stepsTotal;
    }

    public int getStepsCached() {
        return stepsCached;
    }

    /** Cached steps divided by steps, 0..1; 0 when there were no steps. */
    public double getCacheHitRate() {
        return stepsTotal == 0 ? 0 : (double) stepsCached / stepsTotal;
    }

    public int getLayers() {
        return layers;
    }

    public long getImageSizeBytes() {
        return imageSizeBytes;
    }

    public long getContextBytes() {
        return contextBytes;
    }

    /** The backend that ran the build, e.g. {@code BUILDKIT}. */
    public String getBackend() {
        return backend;
    }

    /** The error that ended the build, or null. */
    public String getError() {
        return error;
    }

    public List<StepRecord> getSteps() {
        return steps == null ? List.of() : Collections.unmodifiableList(steps);
    }

    /** When the build started, in milliseconds since the epoch. */
    public long getStartedAt() {
        return startedAt;
    }

    @Override
    public String toString() {
        return "BuildRecord{" + getDisplayName() + " " + status + " " + durationMillis + "ms steps=" + stepsTotal
                + " cached=" + stepsCached + " size=" + imageSizeBytes + "}";
    }
}
