package io.jenkins.plugins.containerbuild.engine.controlapi;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jenkins.plugins.containerbuild.engine.api.Attestations;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.CacheExports;
import io.jenkins.plugins.containerbuild.engine.api.CacheImports;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.ManifestFormat;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.api.SourceInfo;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.ImageFacts;
import io.jenkins.plugins.containerbuild.engine.build.PlatformManifest;
import io.jenkins.plugins.containerbuild.engine.buildkit.BuildKitBackend;
import io.jenkins.plugins.containerbuild.engine.buildkit.VertexTracker;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.CacheOptions;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.CacheOptionsEntry;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.Exporter;
import io.jenkins.plugins.containerbuild.engine.buildkit.proto.SolveRequest;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.registry.ImageName;
import io.jenkins.plugins.containerbuild.engine.registry.PushErrors;
import io.jenkins.plugins.containerbuild.engine.registry.RegistryClient;
import io.jenkins.plugins.containerbuild.engine.session.content.OciLayoutStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds through BuildKit's own API, on a standalone buildkitd or in a Docker daemon: a {@code Solve} with the
 * Dockerfile frontend, the context and the Dockerfile's folder over the file sync of the session the solve carries,
 * progress from {@code Status}, and one exporter per output (a buildkitd's image exporter pushes the tags itself with
 * {@code push}). Cancelling the build cancels the solve.
 */
public final class ControlApiBackend implements BuildBackend, AutoCloseable {
    private static final String FRONTEND = "dockerfile.v0";
    private final ControlApiClient client;
    private final ExporterSupport support;

    /** A standalone buildkitd's. */
    public ControlApiBackend(ControlApiClient client) {
        this(client, ExporterSupport.buildkitd());
    }

    /**
     * @param support what this builder can export
     */
    public ControlApiBackend(ControlApiClient client, ExporterSupport support) {
        this.client = client;
        this.support = support;
    }

    @Override
    public boolean buildsIntoDaemon() {
        return support.intoDaemon();
    }

    @Override
    public boolean carriesSession() {
        return true;
    }

    @Override
    public void refuseUnsupported(BuildContext ctx) {
        for (BuildOutput o : ctx.outputs()) {
            if (!support.outputs().contains(o.type())) {
                throw new InvalidBuildContextException(
                        "outputs",
                        "'" + o + "': " + client.describe() + " cannot write type="
                                + o.type().exporter()
                                + " (its image store is not containerd's); use type=tar or type=local, a Docker"
                                + " daemon with the containerd image store, or a buildkitd builder");
            }
            if (!support.pushes() && o.attrs().containsKey("push")) {
                throw new InvalidBuildContextException(
                        "outputs",
                        "'" + o + "': " + client.describe() + " does not push from an output; give the tags and"
                                + " push: true (the engine pushes them), or use a buildkitd builder");
            }
        }
        ctx.cacheTo().stream().filter(c -> !c.equals("type=inline")).forEach(c -> {
            String type = CacheExports.attributes(c).get("type");
            if (!support.cacheExports().contains(type)) {
                throw new InvalidBuildContextException(
                        "cacheTo",
                        "'" + c + "': " + client.describe() + " cannot export cache to "
                                + (type.equals("local") ? "a directory" : "a registry")
                                + " (its image store is not containerd's); use cacheTo: 'type=inline' with push, a"
                                + " Docker daemon with the containerd image store, or a buildkitd builder");
            }
        });
        if (!ctx.attestations().isEmpty() && !support.pushes()) {
            throw new InvalidBuildContextException(
                    "attestations",
                    client.describe() + " does not attest images here; use a buildkitd builder for "
                            + ctx.attestations());
        }
        if (ctx.outputs().size() > 1 && !support.several()) {
            throw new InvalidBuildContextException(
                    "outputs",
                    client.describe() + " has BuildKit older than v0.13, which writes one output per build; give"
                            + " one output, or build on Docker 26 or later or a buildkitd builder");
        }
        if (ctx.networkMode().equals("host")) {
            throw new InvalidBuildContextException(
                    "network",
                    "RUN steps on the host's network need the"
                            + " network.host entitlement, which " + client.describe()
                            + " is not asked for;"
                            + " use default or none");
        }
    }

    @Override
    public BackendOutcome run(BuildRun run) {
        BuildContext ctx = run.context();
        VertexTracker tracker =
                new VertexTracker(run.buildId(), run.listener(), run.masker(), BuildKitBackend.stageOrder(ctx));
        long sent;
        Map<String, String> response;
        try {
            response = client.solve(
                    solveRequest(run),
                    run.carried().providers(),
                    run.carried().sharedKey(),
                    tracker::accept,
                    run.handle()::attach);
        } catch (BuildException e) {
            return failed(run, tracker, e);
        } catch (IOException e) {
            throw new BuildException("cannot open the session with " + client.describe() + ": " + e.getMessage(), e);
        } finally {
            sent = run.syncedBytes() == null ? 0 : run.syncedBytes().getAsLong();
        }
        // A solve that returns succeeded; a tar output has no image, so no image id.
        return new BackendOutcome(
                BuildStatus.SUCCESS,
                imageId(run, response),
                tracker.steps(),
                sent,
                null,
                null,
                null,
                List.of(),
                tracker.daemonTime(),
                response);
    }

    /**
     * The image's layers and their size as stored (compressed, what a pull transfers), read from its manifest; for
     * several platforms, the sums over their manifests. A Docker daemon that kept the image says what it is itself.
     */
    @Override
    public ImageFacts imageFacts(BuildContext ctx, DaemonClient daemon, BackendOutcome outcome) {
        String digest = outcome.exporterResponse().get("containerimage.digest");
        Function<String, JsonValue> blobs = manifestSource(ctx);
        if (blobs == null) {
            return BuildBackend.super.imageFacts(ctx, daemon, outcome);
        }
        if (outcome.status() != BuildStatus.SUCCESS || digest == null) {
            return new ImageFacts(0, 0);
        }
        try {
            JsonValue top = blobs.apply(digest);
            if (!top.has("manifests")) {
                return facts(top);
            }
            long size = 0;
            int layers = 0;
            for (JsonValue m : imageManifests(top)) {
                ImageFacts f = facts(blobs.apply(m.path("digest").asText()));
                size += f.sizeBytes();
                layers += f.layers();
            }
            return new ImageFacts(size, layers);
        } catch (BuildException | UncheckedIOException e) {
            return new ImageFacts(0, 0); // the build's outcome stands without its facts
        }
    }

    /**
     * The platforms' manifests of the index a multi-platform build made, read where {@link #manifestSource} says;
     * unknown when a Docker daemon only loaded the index.
     */
    @Override
    public List<PlatformManifest> platformManifests(BuildContext ctx, BackendOutcome outcome) {
        String digest = outcome.exporterResponse().get("containerimage.digest");
        Function<String, JsonValue> blobs = manifestSource(ctx);
        if (blobs == null || outcome.status() != BuildStatus.SUCCESS || digest == null) {
            return List.of();
        }
        try {
            JsonValue top = blobs.apply(digest);
            List<PlatformManifest> out = new ArrayList<>();
            for (JsonValue m : imageManifests(top)) {
                JsonValue p = m.path("platform");
                String variant = p.path("variant").asText("");
                Platform platform = Platform.parse(
                        "platform",
                        p.path("os").asText() + "/" + p.path("architecture").asText()
                                + (variant.isEmpty() ? "" : "/" + variant));
                String config = blobs.apply(m.path("digest").asText())
                        .path("config")
                        .path("digest")
                        .asText("");
                out.add(new PlatformManifest(
                        platform, m.path("digest").asText(), m.path("size").asLong(0), config));
            }
            return out;
        } catch (BuildException | UncheckedIOException | IllegalArgumentException e) {
            return List.of(); // the build's outcome stands; its per-platform digests stay unknown
        }
    }

    /**
     * Where the built manifests can be read by digest: a buildkitd's content store; for a Docker daemon (whose API
     * does not serve its content store) the registry it pushed to; null when a daemon kept the image, which it then
     * describes itself.
     */
    private Function<String, JsonValue> manifestSource(BuildContext ctx) {
        if (!support.intoDaemon()) {
            return this::blob;
        }
        return support.pushes() && ctx.push() && !ctx.tags().isEmpty() ? registryManifests(ctx) : null;
    }

    /** Reads manifests by digest from the repository of the build's first tag, as the build pushed them. */
    private static Function<String, JsonValue> registryManifests(BuildContext ctx) {
        ImageName repo = ImageName.parse(ctx.tags().get(0));
        RegistryClient registry = RegistryClient.builder()
                .credentials(host -> Optional.ofNullable(ctx.registryAuth().get(host)))
                .build();
        return digest -> parse(registry.getManifest(repo, digest).body());
    }

    private static JsonValue parse(byte[] json) {
        try {
            return Json.parse(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The attestation manifests of the index the build made, read where {@link #manifestSource} says. */
    @Override
    public List<String> attestationManifests(BuildContext ctx, BackendOutcome outcome) {
        String digest = outcome.exporterResponse().get("containerimage.digest");
        Function<String, JsonValue> blobs = manifestSource(ctx);
        if (ctx.attestations().isEmpty()
                || blobs == null
                || outcome.status() != BuildStatus.SUCCESS
                || digest == null) {
            return List.of();
        }
        try {
            List<String> out = new ArrayList<>();
            for (JsonValue m : blobs.apply(digest).path("manifests")) {
                if (isAttestation(m)) {
                    out.add(m.path("digest").asText());
                }
            }
            return out;
        } catch (BuildException | UncheckedIOException e) {
            return List.of(); // the build's outcome stands; its attestations stay unnamed
        }
    }

    private static boolean isAttestation(JsonValue manifest) {
        return manifest.path("annotations")
                .path("vnd.docker.reference.type")
                .asText("")
                .equals("attestation-manifest");
    }

    /** The manifests of an index that are images (not attestations); none for a plain manifest. */
    private static List<JsonValue> imageManifests(JsonValue index) {
        List<JsonValue> out = new ArrayList<>();
        for (JsonValue m : index.path("manifests")) {
            if (!isAttestation(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private JsonValue blob(String digest) {
        return parse(client.readContent(digest));
    }

    private static ImageFacts facts(JsonValue manifest) {
        long size = 0;
        int layers = 0;
        for (JsonValue l : manifest.path("layers")) {
            size += l.path("size").asLong(0);
            layers++;
        }
        return new ImageFacts(size, layers);
    }

    /**
     * The built image's id: a buildkitd's config digest; in a Docker daemon the id the daemon gives the image (its
     * config digest, or with the containerd store its manifest's), asked by the first tag.
     */
    private String imageId(BuildRun run, Map<String, String> response) {
        if (!support.intoDaemon()) {
            return response.get("containerimage.config.digest");
        }
        if (!response.containsKey("containerimage.digest")) {
            return null;
        }
        // A daemon that pushed did not keep the image (store=false): its id there would have been the digest.
        if (!run.context().tags().isEmpty()
                && !(support.pushes() && run.context().push())) {
            JsonValue image = run.daemon()
                    .getJson("/images/" + URLEncoder.encode(run.context().tags().get(0), StandardCharsets.UTF_8)
                            + "/json");
            if (image != null && !image.path("Id").asText("").isEmpty()) {
                return image.path("Id").asText("");
            }
        }
        return response.get("containerimage.digest");
    }

    private BackendOutcome failed(BuildRun run, VertexTracker tracker, BuildException e) {
        long sent = run.syncedBytes() == null ? 0 : run.syncedBytes().getAsLong();
        if (run.handle().isCancelled()
                || (e.getCause() instanceof StatusRuntimeException s
                        && s.getStatus().getCode() == Status.Code.CANCELLED)) {
            return BackendOutcome.cancelled(run.handle().cancelReason(), tracker.steps(), sent);
        }
        if (e.getCause() instanceof StatusRuntimeException s
                && s.getStatus().getCode() == Status.Code.UNAVAILABLE
                && tracker.hasProgress()) {
            // The connection dropped under a running solve: the builder died or its host went away.
            throw DaemonUnreachableException.wentAway(
                    client.describe(),
                    client.endpoint(),
                    tracker.running().map(step -> "step '" + step + "'").orElse("the build"),
                    run.masker().apply(String.valueOf(s.getStatus().getDescription())),
                    e);
        }
        if (e.getCause() instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.UNKNOWN) {
            // The build itself failed: BuildKit's message is the build's error, said to be the cache export's when
            // it names the export's reference (a registry that refuses the push of the cache, say).
            String error = PushErrors.explainBuildKit(
                    run.masker().apply(String.valueOf(s.getStatus().getDescription())),
                    host -> run.context().registryAuth().containsKey(host));
            for (String c : run.context().cacheTo()) {
                String ref = CacheExports.attributes(c).get("ref");
                if (ref != null && error.contains(repositoryPath(ref))) {
                    error = "cacheTo: the cache export to " + ref + " failed: " + error;
                    break;
                }
            }
            return BuildKitBackend.outcome(tracker, null, error, sent);
        }
        throw e;
    }

    /** {@code team/app} of {@code registry.example.com/team/app:cache}: what a registry error's URL shows of it. */
    private static String repositoryPath(String ref) {
        String r = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
        int slash = r.lastIndexOf('/');
        int colon = r.lastIndexOf(':');
        if (colon > slash) {
            r = r.substring(0, colon);
        }
        int first = r.indexOf('/');
        return first < 0 ? r : r.substring(first + 1);
    }

    private SolveRequest solveRequest(BuildRun run) {
        BuildContext ctx = run.context();
        SolveRequest.Builder r = SolveRequest.newBuilder()
                .setRef(run.buildId())
                .setFrontend(FRONTEND)
                .putFrontendAttrs("filename", run.dockerfileName());
        ctx.target().ifPresent(t -> r.putFrontendAttrs("target", t));
        ctx.buildArgs().forEach((k, v) -> r.putFrontendAttrs("build-arg:" + k, v));
        ctx.labels().forEach((k, v) -> r.putFrontendAttrs("label:" + k, v));
        if (!ctx.platforms().isEmpty()) {
            r.putFrontendAttrs(
                    "platform",
                    ctx.platforms().stream().map(Platform::specifier).collect(Collectors.joining(",")));
        }
        if (ctx.noCache()) {
            r.putFrontendAttrs("no-cache", "");
        }
        if (ctx.pull()) {
            r.putFrontendAttrs("image-resolve-mode", "pull");
        }
        if (ctx.networkMode().equals("none")) {
            r.putFrontendAttrs("force-network-mode", "none");
        }
        if (!ctx.extraHosts().isEmpty()) {
            r.putFrontendAttrs(
                    "add-hosts",
                    ctx.extraHosts().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
        }
        attest(ctx, r);
        CacheOptions.Builder cache = CacheOptions.newBuilder();
        List<CacheOptionsEntry> imports = cacheImports(run);
        imports.forEach(cache::addImports);
        if (!imports.isEmpty()) {
            // The Dockerfile frontend solves each stage itself: it reads the imports from this attribute (as
            // CacheOptionsEntry objects in JSON), the solver from the request's cache options.
            r.putFrontendAttrs(
                    "cache-imports",
                    Json.write(imports.stream()
                            .map(i -> Map.of("Type", i.getType(), "Attrs", i.getAttrsMap()))
                            .toList()));
        }
        ctx.cacheTo().forEach(c -> {
            Map<String, String> attrs = new LinkedHashMap<>(CacheExports.attributes(c));
            if (attrs.containsKey("dest")) {
                // The exporter asks the session for the store named by this path: the one SessionProviders serves.
                attrs.put(
                        "dest",
                        Path.of(attrs.get("dest")).toAbsolutePath().normalize().toString());
            }
            cache.addExports(
                    CacheOptionsEntry.newBuilder().setType(attrs.remove("type")).putAllAttrs(attrs));
        });
        r.setCache(cache);
        List<Exporter> exporters = exporters(ctx, support);
        exporters.forEach(r::addExporters);
        if (exporters.size() == 1) {
            // BuildKit before v0.13 (dockerd 20.10) reads only the single exporter of old.
            r.setExporterDeprecated(exporters.get(0).getType())
                    .putAllExporterAttrsDeprecated(exporters.get(0).getAttrsMap());
        }
        return r.build();
    }

    /**
     * The cache imports: each registry's, and each directory's whose cache is there (a local import names its cache
     * manifest by digest, read from the directory's {@code index.json} by tag, {@code latest} unless given). A
     * directory with no such cache is a warning, and the build goes on without it, as buildx does.
     */
    private static List<CacheOptionsEntry> cacheImports(BuildRun run) {
        BuildContext ctx = run.context();
        List<CacheOptionsEntry> out = new ArrayList<>();
        ctx.cacheFrom()
                .forEach(ref -> out.add(CacheOptionsEntry.newBuilder()
                        .setType("registry")
                        .putAttrs("ref", ref)
                        .build()));
        for (String c : ctx.localCacheImports()) {
            Map<String, String> attrs = CacheImports.attributes(c);
            Path src = Path.of(attrs.get("src")).toAbsolutePath().normalize();
            String digest = attrs.get("digest");
            String problem = null;
            if (digest == null) {
                String tag = attrs.getOrDefault("tag", "latest");
                try {
                    digest = OciLayoutStore.forImport(src).taggedDigest(tag).orElse(null);
                    problem = digest == null ? "it holds no cache tagged " + tag : null;
                } catch (IOException | RuntimeException e) {
                    problem = "its index.json cannot be read (" + e.getMessage() + ")";
                }
            }
            if (problem != null) {
                run.listener()
                        .onProgress(new BuildProgress(
                                run.buildId(),
                                BuildProgress.Kind.INFO,
                                0,
                                0,
                                0,
                                "",
                                "warning: cacheFrom '" + c + "': " + problem + "; building without it"));
                continue;
            }
            out.add(CacheOptionsEntry.newBuilder()
                    .setType("local")
                    .putAttrs("src", src.toString())
                    .putAttrs("digest", digest)
                    .build());
        }
        return out;
    }

    /**
     * Asks the frontend for each attestation ({@code attest:provenance=mode=max,…}); the provenance names the CI run
     * as its builder id, and the source as BuildKit's {@code vcs:source}/{@code vcs:revision} (BuildKit writes the
     * document).
     */
    private static void attest(BuildContext ctx, SolveRequest.Builder r) {
        for (String a : ctx.attestations()) {
            Map<String, String> attrs = new LinkedHashMap<>(Attestations.attributes("attestations", a));
            String type = attrs.remove("type");
            ctx.sourceInfo()
                    .map(SourceInfo::builderId)
                    .filter(id -> id != null)
                    .ifPresent(id -> attrs.putIfAbsent("builder-id", id));
            r.putFrontendAttrs(
                    "attest:" + type,
                    attrs.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
        }
        ctx.sourceInfo().ifPresent(info -> {
            if (info.vcsSource() != null) {
                r.putFrontendAttrs("vcs:source", info.vcsSource());
            }
            if (info.vcsRevision() != null) {
                r.putFrontendAttrs("vcs:revision", info.vcsRevision());
            }
        });
    }

    /**
     * The build's exporters in order: its outputs, or the image exporter when it has none. Images are named by the
     * tags unless the output names them; file outputs reach this machine through the session's FileSend.
     */
    private static List<Exporter> exporters(BuildContext ctx, ExporterSupport support) {
        List<BuildOutput> outputs = ctx.outputs().isEmpty()
                ? List.of(new BuildOutput(BuildOutput.Type.IMAGE, Map.of(), null))
                : ctx.outputs();
        List<Exporter> out = new ArrayList<>();
        for (BuildOutput o : outputs) {
            String type = o.type() == BuildOutput.Type.IMAGE
                    ? support.imageExporter()
                    : o.type().exporter();
            Exporter.Builder e = Exporter.newBuilder().setType(type).putAllAttrs(o.attrs());
            boolean named = o.type() != BuildOutput.Type.TAR && o.type() != BuildOutput.Type.LOCAL;
            if (named && !o.attrs().containsKey("name") && !ctx.tags().isEmpty()) {
                e.putAttrs("name", String.join(",", ctx.tags()));
            }
            if (o.type() == BuildOutput.Type.IMAGE
                    && ctx.manifestFormat() == ManifestFormat.OCI
                    && !o.attrs().containsKey("oci-mediatypes")) {
                e.putAttrs("oci-mediatypes", "true");
            }
            if (o.type() == BuildOutput.Type.IMAGE && ctx.push() && support.pushes()) {
                e.putAttrs("push", "true");
                if (support.intoDaemon()) {
                    // The registry is where a pushed image goes: a push that fails leaves no tag in the daemon.
                    e.putAttrs("store", "false");
                }
            }
            out.add(e.build());
        }
        return out;
    }

    /** The builder's Dockerfile frontend release, e.g. 13 for BuildKit v0.13.x; {@code Integer.MAX_VALUE} if unknown. */
    public int buildKitMinor() {
        String v = client.version();
        String[] parts = v.startsWith("v") ? v.substring(1).split("\\.") : new String[0];
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : Integer.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The connection to the builder. */
    public ControlApiClient client() {
        return client;
    }

    /** Closes the connection to the builder. */
    @Override
    public void close() {
        client.close();
    }

    /** What to call the builder in messages. */
    public String describe() {
        return client.describe();
    }

    @Override
    public String describe(DaemonEndpoint daemon) {
        return describe();
    }
}
