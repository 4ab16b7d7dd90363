package io.jenkins.plugins.containerbuild.engine.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything one build needs: what to build and how. Immutable and validated on construction;
 * each error names the field and the fix. Secrets, SSH keys and registry credentials are kept as
 * sources that are read only when the daemon asks, and take no part in {@code toString},
 * {@code equals} or {@code hashCode}.
 */
public final class BuildContext {
    private static final Pattern STAGE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]*");
    private static final Pattern SECRET_ID = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Pattern ARG_NAME = Pattern.compile("[^=\\s]+");
    private static final Pattern HOST_NAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Set<String> NETWORK_MODES = Set.of("default", "host", "none", "bridge");

    private final Path contextDir;
    private final Path dockerfile;
    private final List<String> tags;
    private final List<Platform> platforms;
    private final Map<String, String> buildArgs;
    private final Map<String, String> labels;
    private final String target;
    private final List<String> cacheFrom;
    private final List<String> localCacheImports;
    private final boolean noCache;
    private final boolean pull;
    private final String networkMode;
    private final Map<String, String> extraHosts;
    private final Map<String, SecretSource> secrets;
    private final Map<String, SshKeySource> sshKeys;
    private final Map<String, RegistryCredentials> registryAuth;
    private final boolean push;
    private final List<String> cacheTo;
    private final ManifestFormat manifestFormat;
    private final List<BuildOutput> outputs;
    private final List<String> attestations;
    private final SourceInfo sourceInfo;

    private BuildContext(Builder b) {
        if (b.contextDir == null) {
            throw new InvalidBuildContextException("contextDir", "is required: give the directory to build from");
        }
        Path dir = b.contextDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new InvalidBuildContextException(
                    "contextDir",
                    "'" + dir + "' is not a directory; "
                            + (Files.exists(dir)
                                    ? "give the directory that holds the build context"
                                    : "check the path exists"));
        }
        this.contextDir = dir;
        Path df = b.dockerfile == null ? Path.of("Dockerfile") : b.dockerfile;
        df = (df.isAbsolute() ? df : dir.resolve(df)).normalize();
        if (!Files.isRegularFile(df)) {
            throw new InvalidBuildContextException(
                    "dockerfile",
                    "'" + df + "' does not exist or is not a file; "
                            + "give the Dockerfile's path (relative to the context directory or absolute)");
        }
        this.dockerfile = df;
        List<String> t = new ArrayList<>();
        for (String tag : b.tags) {
            t.add(ImageReference.check("tags", tag));
        }
        this.tags = List.copyOf(t);
        this.platforms = List.copyOf(new java.util.LinkedHashSet<>(b.platforms));
        this.buildArgs = checkedMap("buildArgs", b.buildArgs);
        this.labels = checkedMap("labels", b.labels);
        if (b.target != null
                && !b.target.isBlank()
                && !STAGE_NAME.matcher(b.target.trim()).matches()) {
            throw new InvalidBuildContextException(
                    "target",
                    "'" + b.target
                            + "' is not a valid stage name; stage names start with a letter and use letters, digits, _ . -");
        }
        this.target = b.target == null || b.target.isBlank() ? null : b.target.trim();
        List<String> cf = new ArrayList<>();
        List<String> local = new ArrayList<>();
        for (String entry : b.cacheFrom) {
            if (CacheImports.isLocal(entry)) {
                local.add(CacheImports.checkLocal(entry));
            } else {
                cf.add(ImageReference.check("cacheFrom", CacheImports.reference(entry)));
            }
        }
        this.cacheFrom = List.copyOf(cf);
        this.localCacheImports = List.copyOf(local);
        this.noCache = b.noCache;
        this.pull = b.pull;
        String net = b.networkMode == null || b.networkMode.isBlank() ? "default" : b.networkMode.trim();
        if (!NETWORK_MODES.contains(net)) {
            throw new InvalidBuildContextException(
                    "network", "'" + net + "' is not supported for builds; use one of default, host, none");
        }
        this.networkMode = net;
        Map<String, String> hosts = new LinkedHashMap<>();
        b.extraHosts.forEach((host, ip) -> {
            if (host == null || !HOST_NAME.matcher(host).matches()) {
                throw new InvalidBuildContextException("extraHosts", "'" + host + "' is not a valid host name");
            }
            if (ip == null
                    || !(IPV4.matcher(ip).matches() || IPV6.matcher(ip).matches() || ip.equals("host-gateway"))) {
                throw new InvalidBuildContextException(
                        "extraHosts",
                        "'" + ip + "' for host " + host + " is not an IP address; use host:IP, e.g. db:10.0.0.5");
            }
            hosts.put(host, ip);
        });
        this.extraHosts = Collections.unmodifiableMap(hosts);
        b.secrets.keySet().forEach(id -> checkId("secrets", id));
        b.sshKeys.keySet().forEach(id -> checkId("sshKeys", id));
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(b.secrets));
        this.sshKeys = Collections.unmodifiableMap(new LinkedHashMap<>(b.sshKeys));
        this.registryAuth = Collections.unmodifiableMap(new LinkedHashMap<>(b.registryAuth));
        this.push = b.push;
        if (push && tags.isEmpty()) {
            throw new InvalidBuildContextException(
                    "tags",
                    "push needs at least one tag naming the registry repository,"
                            + " e.g. registry.example.com/team/app:1.0");
        }
        this.cacheTo = checkCacheTo(b.cacheTo, push);
        this.manifestFormat = b.manifestFormat == null ? ManifestFormat.DOCKER : b.manifestFormat;
        this.outputs = List.copyOf(b.outputs);
        if (platforms.size() > 1) {
            outputs.stream()
                    .filter(o -> o.type() == BuildOutput.Type.DOCKER)
                    .findFirst()
                    .ifPresent(o -> {
                        throw new InvalidBuildContextException(
                                "outputs",
                                "'" + o + "': a docker archive holds one platform's image (docker load takes one),"
                                        + " and this build makes " + platforms.size() + "; use type=oci for all of"
                                        + " them, or build one platform");
                    });
        }
        this.attestations = Attestations.check(b.attestations);
        this.sourceInfo = b.sourceInfo;
    }

    /** Cache exports in buildx's syntax; inline cache is stored in the pushed image, so it needs push. */
    private static List<String> checkCacheTo(List<String> given, boolean push) {
        List<String> checked = CacheExports.check(given);
        if (checked.contains("type=inline") && !push) {
            throw new InvalidBuildContextException(
                    "cacheTo", "type=inline stores the cache in the pushed image;" + " set push too (or drop cacheTo)");
        }
        return checked;
    }

    private static void checkId(String field, String id) {
        if (id == null || !SECRET_ID.matcher(id).matches()) {
            throw new InvalidBuildContextException(field, "id '" + id + "' is not valid; use letters, digits, _ . -");
        }
    }

    private static Map<String, String> checkedMap(String field, Map<String, String> in) {
        Map<String, String> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k == null || !ARG_NAME.matcher(k).matches()) {
                throw new InvalidBuildContextException(
                        field, "key '" + k + "' is not valid; keys are non-empty and" + " have no '=' or white space");
            }
            out.put(k, v == null ? "" : v);
        });
        return Collections.unmodifiableMap(out);
    }

    /** The build context directory, absolute and normalized. */
    public Path contextDir() {
        return contextDir;
    }

    /** The Dockerfile, absolute and normalized (it may lie outside the context directory). */
    public Path dockerfile() {
        return dockerfile;
    }

    /** True when the Dockerfile lies inside the context directory. */
    public boolean dockerfileInsideContext() {
        return dockerfile.startsWith(contextDir);
    }

    public List<String> tags() {
        return tags;
    }

    /** Target platforms; empty means the daemon's own platform. */
    public List<Platform> platforms() {
        return platforms;
    }

    public Map<String, String> buildArgs() {
        return buildArgs;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public Optional<String> target() {
        return Optional.ofNullable(target);
    }

    /** The images whose cache the build may use (registry cache imports), as references. */
    public List<String> cacheFrom() {
        return cacheFrom;
    }

    /**
     * The caches imported from directories on this machine, canonical ({@code type=local,src=DIR[,tag=…|,digest=…]});
     * only a BuildKit reached through its own API reads them.
     */
    public List<String> localCacheImports() {
        return localCacheImports;
    }

    /** The cache exports written to directories on this machine ({@code type=local}), canonical. */
    public List<String> localCacheExports() {
        return cacheTo.stream().filter(c -> c.startsWith("type=local")).toList();
    }

    public boolean noCache() {
        return noCache;
    }

    public boolean pull() {
        return pull;
    }

    /** One of default, host, none, bridge. */
    public String networkMode() {
        return networkMode;
    }

    /** Extra /etc/hosts entries: host name → IP. */
    public Map<String, String> extraHosts() {
        return extraHosts;
    }

    /** Build secrets by id, as {@code RUN --mount=type=secret,id=…} names them. */
    public Map<String, SecretSource> secrets() {
        return secrets;
    }

    /** SSH identities by id, as {@code RUN --mount=type=ssh,id=…} names them ({@code default} when unnamed). */
    public Map<String, SshKeySource> sshKeys() {
        return sshKeys;
    }

    /** Registry credentials by registry host. */
    public Map<String, RegistryCredentials> registryAuth() {
        return registryAuth;
    }

    /** True when the built image (or, for several platforms, each image and the manifest list) is pushed to the registry its tags name. */
    public boolean push() {
        return push;
    }

    /** The cache exports in buildx's syntax, canonical ({@code type=…} first); empty for none. */
    public List<String> cacheTo() {
        return cacheTo;
    }

    /** True when the build exports inline cache (build argument {@code BUILDKIT_INLINE_CACHE=1}). */
    public boolean inlineCache() {
        return cacheTo.contains("type=inline");
    }

    /** The list format a multi-platform push writes; Docker manifest list by default. */
    public ManifestFormat manifestFormat() {
        return manifestFormat;
    }

    /**
     * Where the result goes besides the builder's image store; empty for the image only. Only a BuildKit builder
     * reached through its own API writes outputs; the others refuse them before building.
     */
    public List<BuildOutput> outputs() {
        return outputs;
    }

    /** Attestations to make, in buildx's {@code --attest} syntax ({@code type=provenance,mode=max}); empty for none. */
    public List<String> attestations() {
        return attestations;
    }

    /** The CI run and source the provenance names, when known. */
    public Optional<SourceInfo> sourceInfo() {
        return Optional.ofNullable(sourceInfo);
    }

    /** True when the build needs a BuildKit session (secrets, SSH or registry credentials). */
    public boolean needsSession() {
        return !secrets.isEmpty() || !sshKeys.isEmpty() || !registryAuth.isEmpty();
    }

    public Builder toBuilder() {
        Builder b = new Builder()
                .contextDir(contextDir)
                .dockerfile(dockerfile)
                .tags(tags)
                .platforms(platforms)
                .buildArgs(buildArgs)
                .labels(labels)
                .target(target)
                .cacheFrom(java.util.stream.Stream.concat(cacheFrom.stream(), localCacheImports.stream())
                        .toList())
                .noCache(noCache)
                .pull(pull)
                .networkMode(networkMode)
                .extraHosts(extraHosts)
                .push(push)
                .cacheTo(cacheTo)
                .manifestFormat(manifestFormat)
                .outputs(outputs)
                .attestations(attestations)
                .sourceInfo(sourceInfo);
        secrets.forEach(b::secret);
        sshKeys.forEach(b::sshKey);
        registryAuth.values().forEach(b::registryAuth);
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BuildContext c)) {
            return false;
        }
        return noCache == c.noCache
                && pull == c.pull
                && contextDir.equals(c.contextDir)
                && dockerfile.equals(c.dockerfile)
                && tags.equals(c.tags)
                && platforms.equals(c.platforms)
                && buildArgs.equals(c.buildArgs)
                && labels.equals(c.labels)
                && Objects.equals(target, c.target)
                && cacheFrom.equals(c.cacheFrom)
                && localCacheImports.equals(c.localCacheImports)
                && networkMode.equals(c.networkMode)
                && push == c.push
                && cacheTo.equals(c.cacheTo)
                && manifestFormat == c.manifestFormat
                && outputs.equals(c.outputs)
                && attestations.equals(c.attestations)
                && Objects.equals(sourceInfo, c.sourceInfo)
                && extraHosts.equals(c.extraHosts)
                && secrets.keySet().equals(c.secrets.keySet())
                && sshKeys.keySet().equals(c.sshKeys.keySet())
                && registryAuth.keySet().equals(c.registryAuth.keySet());
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                contextDir,
                dockerfile,
                tags,
                platforms,
                buildArgs,
                labels,
                target,
                cacheFrom,
                localCacheImports,
                noCache,
                pull,
                networkMode,
                extraHosts,
                push,
                cacheTo,
                manifestFormat,
                outputs,
                attestations,
                sourceInfo);
    }

    /** Shows every non-secret field; secrets and SSH keys by id only. */
    @Override
    public String toString() {
        return "BuildContext{contextDir=" + contextDir + ", dockerfile=" + dockerfile + ", tags=" + tags
                + ", platforms=" + platforms + ", buildArgs=" + buildArgs.keySet() + ", labels=" + labels
                + ", target=" + target + ", cacheFrom=" + cacheFrom + ", localCacheImports=" + localCacheImports
                + ", noCache=" + noCache + ", pull=" + pull
                + ", network=" + networkMode + ", extraHosts=" + extraHosts + ", secrets=" + secrets.keySet()
                + ", sshKeys=" + sshKeys.keySet() + ", registryAuth=" + registryAuth.keySet() + ", push=" + push
                + ", cacheTo=" + cacheTo + ", manifestFormat=" + manifestFormat + ", outputs=" + outputs
                + ", attestations=" + attestations + ", sourceInfo=" + sourceInfo + "}";
    }

    /** Builder for {@link BuildContext}; {@link #build()} validates. */
    public static final class Builder {
        private Path contextDir;
        private Path dockerfile;
        private final List<String> tags = new ArrayList<>();
        private final List<Platform> platforms = new ArrayList<>();
        private final Map<String, String> buildArgs = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String target;
        private final List<String> cacheFrom = new ArrayList<>();
        private boolean noCache;
        private boolean pull;
        private String networkMode;
        private final Map<String, String> extraHosts = new LinkedHashMap<>();
        private final Map<String, SecretSource> secrets = new LinkedHashMap<>();
        private final Map<String, SshKeySource> sshKeys = new LinkedHashMap<>();
        private final Map<String, RegistryCredentials> registryAuth = new LinkedHashMap<>();
        private boolean push;
        private List<String> cacheTo = new ArrayList<>();
        private ManifestFormat manifestFormat;
        private List<BuildOutput> outputs = new ArrayList<>();
        private List<String> attestations = new ArrayList<>();
        private SourceInfo sourceInfo;

        private Builder() {}

        public Builder contextDir(Path v) {
            contextDir = v;
            return this;
        }

        /** The Dockerfile; a relative path is taken relative to the context directory. */
        public Builder dockerfile(Path v) {
            dockerfile = v;
            return this;
        }

        public Builder tag(String v) {
            tags.add(v);
            return this;
        }

        public Builder tags(List<String> v) {
            tags.clear();
            tags.addAll(v);
            return this;
        }

        public Builder platform(Platform v) {
            platforms.add(Objects.requireNonNull(v, "platform"));
            return this;
        }

        public Builder platforms(List<Platform> v) {
            platforms.clear();
            v.forEach(this::platform);
            return this;
        }

        public Builder buildArg(String k, String v) {
            buildArgs.put(k, v);
            return this;
        }

        public Builder buildArgs(Map<String, String> v) {
            buildArgs.clear();
            buildArgs.putAll(v);
            return this;
        }

        public Builder label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        public Builder labels(Map<String, String> v) {
            labels.clear();
            labels.putAll(v);
            return this;
        }

        public Builder target(String v) {
            target = v;
            return this;
        }

        public Builder cacheFrom(String v) {
            cacheFrom.add(v);
            return this;
        }

        public Builder cacheFrom(List<String> v) {
            cacheFrom.clear();
            cacheFrom.addAll(v);
            return this;
        }

        public Builder noCache(boolean v) {
            noCache = v;
            return this;
        }

        public Builder pull(boolean v) {
            pull = v;
            return this;
        }

        public Builder networkMode(String v) {
            networkMode = v;
            return this;
        }

        public Builder extraHost(String host, String ip) {
            extraHosts.put(host, ip);
            return this;
        }

        public Builder extraHosts(Map<String, String> v) {
            extraHosts.clear();
            extraHosts.putAll(v);
            return this;
        }

        public Builder secret(String id, SecretSource source) {
            secrets.put(id, Objects.requireNonNull(source, "secret source"));
            return this;
        }

        public Builder sshKey(String id, SshKeySource source) {
            sshKeys.put(id, Objects.requireNonNull(source, "ssh key source"));
            return this;
        }

        public Builder registryAuth(RegistryCredentials credentials) {
            registryAuth.put(credentials.host(), credentials);
            return this;
        }

        /** Push the image(s) to the registry the tags name; required for several platforms and for inline cache. */
        public Builder push(boolean v) {
            push = v;
            return this;
        }

        /** Cache export in buildx syntax: {@code type=inline} (needs {@link #push(boolean)}), {@code type=registry,ref=…}. */
        public Builder cacheTo(String v) {
            cacheTo = v == null ? new ArrayList<>() : new ArrayList<>(List.of(v));
            return this;
        }

        /** Cache exports in buildx's {@code --cache-to} syntax, in order. */
        public Builder cacheTo(List<String> v) {
            cacheTo = new ArrayList<>(v);
            return this;
        }

        /** Outputs besides the builder's image store (buildx's {@code --output}); replaces earlier ones. */
        /** Attestations in buildx's {@code --attest} syntax: {@code type=provenance[,mode=min|max]}. */
        public Builder attestations(List<String> v) {
            attestations = new ArrayList<>(v);
            return this;
        }

        /** The CI run and source the provenance names (e.g. from Jenkins' {@code BUILD_URL}, {@code GIT_COMMIT}). */
        public Builder sourceInfo(SourceInfo v) {
            sourceInfo = v;
            return this;
        }

        public Builder outputs(List<BuildOutput> v) {
            outputs = new ArrayList<>(v);
            return this;
        }

        /** The list format of a multi-platform push (default {@link ManifestFormat#DOCKER}). */
        public Builder manifestFormat(ManifestFormat v) {
            manifestFormat = v;
            return this;
        }

        public BuildContext build() {
            return new BuildContext(this);
        }
    }
}
