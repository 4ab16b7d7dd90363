package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.api.PlatformImage;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.build.ImagePush;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.mask.SecretMasker;
import io.jenkins.plugins.containerbuild.engine.registry.Descriptor;
import io.jenkins.plugins.containerbuild.engine.registry.ImageName;
import io.jenkins.plugins.containerbuild.engine.registry.ManifestLists;
import io.jenkins.plugins.containerbuild.engine.registry.RegistryClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A build with {@code push}: the image is built (one BuildKit build per platform, at most
 * {@code maxParallel} at once), each pushed through the daemon, and for several platforms a manifest
 * list (or OCI index) is PUT to the registry under each tag.
 *
 * <p>Per-platform images are tagged {@code <repo>:<tag>-<os>-<arch>[-<variant>]} (from the first tag of
 * each repository) and pushed under that tag, which the list refers to by digest. On success those tags
 * stay, locally and in the registry; when any build, push or the list fails, the local per-platform tags
 * are removed again (a registry cannot delete a tag, so what was already pushed stays there).
 */
public final class PushRunner {
    /** Runs one plain daemon build (no push) under the given id. */
    @FunctionalInterface
    public interface OneBuild {
        BuildResult build(String buildId, BuildContext ctx, BuildListener listener);
    }

    private final DaemonClient daemon;
    private final OneBuild oneBuild;
    private final Consumer<String> canceller;
    private final int maxParallel;

    public PushRunner(DaemonClient daemon, OneBuild oneBuild, Consumer<String> canceller, int maxParallel) {
        this.daemon = daemon;
        this.oneBuild = oneBuild;
        this.canceller = canceller;
        this.maxParallel = maxParallel;
    }

    /** Refuses, before anything is built, what the daemon cannot do. */
    public static void check(BuildContext ctx) {
        if (ctx.platforms().size() > 1 && !ctx.push()) {
            throw new InvalidBuildContextException(
                    "push",
                    "a build for " + ctx.platforms().size() + " platforms "
                            + ctx.platforms()
                            + " needs push: the Docker daemon's image store holds one platform per tag and"
                            + " cannot keep a manifest list, so the platforms are joined in a registry; set push and tag the"
                            + " image with a registry repository (e.g. registry.example.com/team/app:1.0), or build one platform");
        }
        for (String t : ctx.tags()) {
            try {
                ImageName n = ImageName.parse(t);
                if (ctx.platforms().size() > 1 && n.tag().length() + longestSuffix(ctx) > 128) {
                    throw new InvalidBuildContextException(
                            "tags",
                            "'" + t + "': the tag is too long to add the"
                                    + " platform suffix (" + longestSuffixOf(ctx) + "); use a tag of at most "
                                    + (128 - longestSuffix(ctx)) + " characters");
                }
            } catch (IllegalArgumentException e) {
                if (e instanceof InvalidBuildContextException ie) {
                    throw ie;
                }
                throw new InvalidBuildContextException("tags", e.getMessage());
            }
        }
    }

    private static String longestSuffixOf(BuildContext ctx) {
        return ctx.platforms().stream()
                .map(PushRunner::suffix)
                .max(java.util.Comparator.comparingInt(String::length))
                .orElse("");
    }

    private static int longestSuffix(BuildContext ctx) {
        return ctx.platforms().stream().mapToInt(p -> suffix(p).length()).max().orElse(0);
    }

    /** {@code -linux-arm64}, {@code -linux-arm-v7}. */
    public static String suffix(Platform p) {
        return "-" + p.specifier().replace('/', '-');
    }

    public BuildResult run(String buildId, BuildContext ctx, BuildListener out) {
        return run(buildId, ctx, out, () -> false);
    }

    /**
     * Like {@link #run(String, BuildContext, BuildListener)}; once {@code cancelled} answers true, platforms that
     * have not started yet are not built (the running ones are cancelled by the caller under their own ids).
     */
    public BuildResult run(String buildId, BuildContext ctx, BuildListener out, BooleanSupplier cancelled) {
        check(ctx);
        try (SecretMasker masker = SecretMasker.of(ctx)) {
            RegistryClient registry = RegistryClient.builder()
                    .credentials(host -> Optional.ofNullable(ctx.registryAuth().get(host)))
                    .build();
            if (ctx.platforms().size() <= 1) {
                return single(buildId, ctx, out, masker);
            }
            return multi(buildId, ctx, out, masker, registry, cancelled);
        }
    }

    private Optional<RegistryCredentials> creds(BuildContext ctx, ImageName n) {
        return Optional.ofNullable(ctx.registryAuth().get(n.host()));
    }

    private BuildResult single(String buildId, BuildContext ctx, BuildListener out, SecretMasker masker) {
        BuildResult built = oneBuild.build(buildId, ctx, out);
        ImagePush.Pushed first = null;
        for (String t : ctx.tags()) {
            ImageName n = ImageName.parse(t);
            ImagePush.Pushed p = ImagePush.push(daemon, n, creds(ctx, n), buildId, out, masker::mask);
            if (first == null) {
                first = p;
            }
        }
        List<PlatformImage> platforms = new ArrayList<>();
        Platform platform = ctx.platforms().isEmpty()
                ? imagePlatform(built.imageId())
                : ctx.platforms().get(0);
        if (platform != null) {
            platforms.add(new PlatformImage(
                    platform, first.reference(), built.imageId(), first.digest(), first.size(), built.metrics()));
        }
        return new BuildResult(buildId, built.imageId(), built.tags(), built.metrics(), first.digest(), platforms);
    }

    private Platform imagePlatform(String imageId) {
        try {
            var n = daemon.getJson("/images/" + URLEncoder.encode(imageId, StandardCharsets.UTF_8) + "/json");
            String spec =
                    n.path("Os").asText("linux") + "/" + n.path("Architecture").asText("")
                            + (n.path("Variant").asText("").isEmpty()
                                    ? ""
                                    : "/" + n.path("Variant").asText());
            return Platform.parse("platform", spec);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Ends a platform's work, as cancelled, once another platform has failed or the whole build was cancelled. */
    private static void stopIfFailedOrCancelled(
            AtomicReference<String> stopped, BooleanSupplier cancelled, PlatformRun r) {
        String failed = stopped.get();
        if (failed != null || cancelled.getAsBoolean()) {
            String why = (failed != null ? "platform " + failed + " failed" : "the build was cancelled") + ", so "
                    + r.platform().specifier() + " was not built or pushed";
            throw new BuildFailedException(
                    "build cancelled: " + why,
                    null,
                    null,
                    List.of(),
                    BuildMetrics.builder()
                            .start(Instant.now())
                            .status(BuildStatus.CANCELLED)
                            .backend(Backend.BUILDKIT)
                            .error(why)
                            .build());
        }
    }

    /** One platform's work: its build, then its push to each repository. */
    private record PlatformRun(Platform platform, String childId, Map<String, ImageName> refsByRepo) {}

    private record PlatformDone(PlatformRun run, BuildResult result, Map<String, ImagePush.Pushed> pushed) {}

    private BuildResult multi(
            String buildId,
            BuildContext ctx,
            BuildListener out,
            SecretMasker masker,
            RegistryClient registry,
            BooleanSupplier cancelled) {
        Instant start = Instant.now();
        // The first tag of each repository names its per-platform tags.
        Map<String, ImageName> firstByRepo = new LinkedHashMap<>();
        for (String t : ctx.tags()) {
            ImageName n = ImageName.parse(t);
            firstByRepo.putIfAbsent(n.name(), n);
        }
        List<PlatformRun> runs = new ArrayList<>();
        for (Platform p : ctx.platforms()) {
            Map<String, ImageName> refs = new LinkedHashMap<>();
            firstByRepo.forEach((repo, n) -> refs.put(repo, n.withTag(n.tag() + suffix(p))));
            runs.add(new PlatformRun(p, buildId + suffix(p), refs));
        }
        List<String> createdTags = Collections.synchronizedList(new ArrayList<>());
        Semaphore slots = new Semaphore(maxParallel);
        // Set by the first failure: platforms still waiting for a slot (or between build and push) stop there,
        // since the cancel below reaches only the builds already running.
        AtomicReference<String> stopped = new AtomicReference<>();
        List<CompletableFuture<PlatformDone>> futures = new ArrayList<>();
        for (PlatformRun r : runs) {
            futures.add(CompletableFuture.supplyAsync(
                            () -> {
                                acquire(slots);
                                try {
                                    stopIfFailedOrCancelled(stopped, cancelled, r);
                                    List<String> tags = r.refsByRepo().values().stream()
                                            .map(ImageName::toString)
                                            .toList();
                                    BuildContext child = ctx.toBuilder()
                                            .platforms(List.of(r.platform()))
                                            .tags(tags)
                                            .build();
                                    BuildResult res = oneBuild.build(r.childId(), child, out);
                                    createdTags.addAll(tags);
                                    Map<String, ImagePush.Pushed> pushed = new LinkedHashMap<>();
                                    r.refsByRepo().forEach((repo, ref) -> {
                                        stopIfFailedOrCancelled(stopped, cancelled, r);
                                        pushed.put(
                                                repo,
                                                ImagePush.push(
                                                        daemon, ref, creds(ctx, ref), r.childId(), out, masker::mask));
                                    });
                                    return new PlatformDone(r, res, pushed);
                                } catch (RuntimeException e) {
                                    // Recorded before the slot is released, so the platform that takes it next sees it.
                                    if (!isCancellation(e)) {
                                        stopped.compareAndSet(null, r.platform().specifier());
                                    }
                                    throw e;
                                } finally {
                                    slots.release();
                                }
                            },
                            task -> {
                                Thread t = new Thread(task, "container-build-platform-" + r.childId());
                                t.setDaemon(true);
                                t.start();
                            })
                    .whenComplete((x, err) -> {
                        if (err != null) {
                            // Fail fast: the other platforms' images could not be used.
                            runs.forEach(o -> canceller.accept(o.childId()));
                        }
                    }));
        }
        List<PlatformDone> done = new ArrayList<>();
        RuntimeException failure = null;
        Platform failedPlatform = null;
        for (int i = 0; i < futures.size(); i++) {
            try {
                done.add(futures.get(i).join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re
                        ? re
                        : new BuildException(String.valueOf(e.getCause()), e.getCause());
                if (failure == null || isCancellation(failure) && !isCancellation(cause)) {
                    failure = cause;
                    failedPlatform = runs.get(i).platform();
                }
            }
        }
        if (failure != null) {
            removeTags(createdTags);
            throw forPlatform(failedPlatform, failure);
        }
        try {
            Map<String, String> listDigests = new LinkedHashMap<>();
            for (String t : ctx.tags()) {
                ImageName n = ImageName.parse(t);
                List<ManifestLists.Entry> entries = new ArrayList<>();
                for (PlatformDone d : done) {
                    ImagePush.Pushed p = d.pushed().get(n.name());
                    // The push stream gives digest and size; the registry tells the exact media type.
                    Descriptor head = registry.headManifest(n, p.digest());
                    entries.add(new ManifestLists.Entry(
                            d.run().platform(), new Descriptor(head.mediaType(), p.digest(), p.size())));
                }
                byte[] list = ManifestLists.encode(ctx.manifestFormat(), entries);
                String digest = registry.putManifest(n, ctx.manifestFormat().mediaType(), list);
                listDigests.put(t, digest);
                out.onProgress(new BuildProgress(
                        buildId,
                        BuildProgress.Kind.INFO,
                        0,
                        0,
                        0,
                        "",
                        "pushed "
                                + (ctx.manifestFormat()
                                                == io.jenkins.plugins.containerbuild.engine.api.ManifestFormat.OCI
                                        ? "OCI index "
                                        : "manifest list ")
                                + n + " " + digest + " (" + entries.size()
                                + " platforms)"));
            }
            String digest = listDigests.get(ctx.tags().get(0));
            List<PlatformImage> images = new ArrayList<>();
            for (PlatformDone d : done) {
                ImagePush.Pushed p = d.pushed().values().iterator().next();
                images.add(new PlatformImage(
                        d.run().platform(),
                        p.reference(),
                        d.result().imageId(),
                        p.digest(),
                        p.size(),
                        d.result().metrics()));
            }
            return new BuildResult(buildId, digest, ctx.tags(), sum(start, done), digest, images);
        } catch (RuntimeException e) {
            removeTags(createdTags);
            throw e;
        }
    }

    private static boolean isCancellation(RuntimeException e) {
        return e instanceof BuildFailedException bf
                && bf.metrics() != null
                && bf.metrics().status() == BuildStatus.CANCELLED;
    }

    private static RuntimeException forPlatform(Platform p, RuntimeException e) {
        if (e instanceof BuildFailedException bf) {
            return new BuildFailedException(
                    p + ": " + bf.getMessage(), bf.step(), bf.exitCode(), bf.lastLogLines(), bf.metrics());
        }
        return e;
    }

    private static void acquire(Semaphore s) {
        try {
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while waiting for a build slot");
        }
    }

    /** Untags what this build tagged; an image left without tags is removed (its parents kept). */
    private void removeTags(List<String> tags) {
        for (String t : List.copyOf(tags)) {
            try {
                daemon.delete("/images/" + t + "?noprune=1");
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    private static BuildMetrics sum(Instant start, List<PlatformDone> done) {
        List<StepTiming> steps = new ArrayList<>();
        int layers = 0;
        long size = 0;
        long context = 0;
        for (PlatformDone d : done) {
            BuildMetrics m = d.result().metrics();
            m.steps()
                    .forEach(s -> steps.add(
                            new StepTiming("[" + d.run().platform() + "] " + s.name(), s.duration(), s.cached())));
            layers += m.layers();
            size += m.imageSizeBytes();
            context += m.contextBytes();
        }
        return BuildMetrics.builder()
                .start(start)
                .end(Instant.now())
                .status(BuildStatus.SUCCESS)
                .steps(steps)
                .stepsTotal(done.stream()
                        .mapToInt(d -> d.result().metrics().stepsTotal())
                        .sum())
                .stepsCached(done.stream()
                        .mapToInt(d -> d.result().metrics().stepsCached())
                        .sum())
                .layers(layers)
                .imageSizeBytes(size)
                .contextBytes(context)
                .backend(done.get(0).result().metrics().backend())
                .build();
    }
}
