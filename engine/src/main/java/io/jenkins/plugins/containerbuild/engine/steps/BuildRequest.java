package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.GoDuration;
import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.ImageReference;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One build as the {@code containerBuild} Pipeline step, the freestyle step or a batch entry gives it:
 * plain, validated data that holds credential ids but never secret material. It becomes a
 * {@link BuildContext} on the agent with {@link #toContext(Path, ResolvedCredentials)}.
 *
 * <p>Everything that can be checked without the workspace is checked by {@link #fromArguments(Map)}:
 * types, unknown keys, platforms, ids, {@code cacheTo}, {@code backend}, {@code timeout},
 * {@code network}, and that {@code push} has tags. Image references and paths are checked by
 * {@link BuildContext} when the context is made.
 */
public final class BuildRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The accepted argument names, in the order the step's documentation lists them. */
    public static final Set<String> ARGUMENTS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "context", "dockerfile", "tags", "platforms", "buildArgs", "labels", "target", "secrets", "sshKeys",
            "registryCredentialsId", "cacheFrom", "cacheTo", "noCache", "pull", "network", "extraHosts", "push",
            "backend", "timeout", "name")));
    /** The build argument that makes BuildKit embed cache metadata in the image ({@code cacheTo: 'type=inline'}). */
    public static final String INLINE_CACHE_ARG = "BUILDKIT_INLINE_CACHE";
    private static final Set<String> REF_KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of("id", "credentialsId")));
    private static final Set<String> NETWORKS = Set.of("default", "host", "none", "bridge");

    private final String context;
    private final String dockerfile;
    private final ArrayList<String> tags;
    private final ArrayList<String> platforms;
    private final LinkedHashMap<String, String> buildArgs;
    private final LinkedHashMap<String, String> labels;
    private final String target;
    private final ArrayList<CredentialRef> secrets;
    private final ArrayList<CredentialRef> sshKeys;
    private final String registryCredentialsId;
    private final ArrayList<String> cacheFrom;
    private final String cacheTo;
    private final boolean noCache;
    private final boolean pull;
    private final String network;
    private final LinkedHashMap<String, String> extraHosts;
    private final boolean push;
    private final String backend;
    private final String timeout;
    private final String name;

    private BuildRequest(Arguments a) {
        context = a.string("context", ".");
        dockerfile = a.string("dockerfile", null);
        tags = new ArrayList<>(a.strings("tags", true));
        platforms = new ArrayList<>(platforms(a));
        buildArgs = new LinkedHashMap<>(a.stringMap("buildArgs", true));
        labels = new LinkedHashMap<>(a.stringMap("labels", true));
        target = a.string("target", null);
        secrets = new ArrayList<>(refs(a, "secrets", null));
        sshKeys = new ArrayList<>(refs(a, "sshKeys", "default"));
        registryCredentialsId = a.string("registryCredentialsId", null);
        cacheFrom = new ArrayList<>(a.strings("cacheFrom", true));
        cacheTo = cacheTo(a);
        noCache = a.bool("noCache", false);
        pull = a.bool("pull", false);
        network = a.string("network", null);
        if (network != null && !NETWORKS.contains(network)) {
            throw new InvalidBuildContextException(a.field("network"), "'" + network
                    + "' is not supported for builds; use one of default, host, none");
        }
        extraHosts = new LinkedHashMap<>(a.stringMap("extraHosts", false));
        push = a.bool("push", false);
        backend = a.string("backend", null);
        Backend.parse(a.field("backend"), backend);
        timeout = a.string("timeout", null);
        if (timeout != null) {
            GoDuration.parse(a.field("timeout"), timeout);
        }
        name = a.string("name", null);
        if (push && tags.isEmpty()) {
            throw new InvalidBuildContextException(a.field("push"), "push: true needs at least one tag to push;"
                    + " add tags: ['registry.example.com/team/app:1.0']");
        }
        if (platforms.size() > 1 && !push) {
            throw new InvalidBuildContextException(a.field("platforms"), "building " + platforms.size()
                    + " platforms needs push: true: the daemon cannot store a multi-platform image, so each platform"
                    + " is pushed and joined in a manifest list in the registry");
        }
    }

    /**
     * Reads the arguments of one build.
     *
     * @param args the step's named arguments; Groovy strings, numbers and lists are accepted
     * @throws InvalidBuildContextException naming the key and what it expects, for any wrong value
     */
    public static BuildRequest fromArguments(Map<String, ?> args) {
        return fromArguments("", args);
    }

    /** As {@link #fromArguments(Map)}, with every field in errors prefixed (e.g. {@code builds[2].}). */
    static BuildRequest fromArguments(String prefix, Map<String, ?> args) {
        return new BuildRequest(Arguments.of(prefix, args, ARGUMENTS));
    }

    private static List<String> platforms(Arguments a) {
        Object raw = a.raw("platforms");
        List<String> given = raw instanceof CharSequence s
                ? List.of(s.toString().split(",")) : a.strings("platforms", false);
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            out.add(Platform.parse(a.field("platforms") + (raw instanceof CharSequence ? "" : "[" + i + "]"),
                    given.get(i).trim()).specifier());
        }
        return new ArrayList<>(out);
    }

    private static List<CredentialRef> refs(Arguments a, String key, String defaultId) {
        String example = "[id: '" + (defaultId == null ? "npm" : defaultId) + "', credentialsId: '"
                + (defaultId == null ? "npm-token" : "git-key") + "']";
        List<CredentialRef> out = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        List<Map<String, ?>> maps = a.maps(key, example);
        for (int i = 0; i < maps.size(); i++) {
            String p = a.field(key) + "[" + i + "].";
            Arguments ref = Arguments.of(p, maps.get(i), REF_KEYS);
            String id = ref.string("id", defaultId);
            if (id == null) {
                throw new InvalidBuildContextException(p + "id", "is required: the id the Dockerfile uses in"
                        + " RUN --mount=type=secret,id=…; e.g. " + example);
            }
            String credentialsId = ref.string("credentialsId", null);
            if (credentialsId == null) {
                throw new InvalidBuildContextException(p + "credentialsId", "is required: the id of the credential"
                        + " that holds the value; e.g. " + example);
            }
            try {
                out.add(new CredentialRef(id, credentialsId));
            } catch (InvalidBuildContextException e) {
                throw new InvalidBuildContextException(p + e.field(), problem(e));
            }
            if (!ids.add(id)) {
                throw new InvalidBuildContextException(p + "id", "'" + id + "' is given twice; each id must be unique");
            }
        }
        return out;
    }

    private static String cacheTo(Arguments a) {
        String v = a.string("cacheTo", null);
        if (v == null) {
            return null;
        }
        String[] parts = v.split(",");
        String type = null;
        boolean options = false;
        for (String part : parts) {
            String p = part.trim();
            if (p.startsWith("type=")) {
                type = p.substring(5).trim();
            } else if (parts.length == 1 && !p.contains("=")) {
                type = p;
            } else {
                options = true;
            }
        }
        if (type == null) {
            throw new InvalidBuildContextException(a.field("cacheTo"), "'" + v + "' names no type; write"
                    + " cacheTo: 'type=inline'");
        }
        if (type.equals("registry") || type.equals("local")) {
            throw new InvalidBuildContextException(a.field("cacheTo"), "'" + v + "': cache export type=" + type
                    + " is not available: the daemon's built-in BuildKit cannot export them; use cacheTo: 'type=inline'"
                    + " with push: true and cacheFrom: ['<the pushed image>']");
        }
        if (!type.equals("inline")) {
            throw new InvalidBuildContextException(a.field("cacheTo"), "'" + v + "' is not supported; the only cache"
                    + " export is 'type=inline'");
        }
        if (options) {
            throw new InvalidBuildContextException(a.field("cacheTo"), "'" + v + "': type=inline takes no options;"
                    + " write cacheTo: 'type=inline'");
        }
        return "type=inline";
    }

    /** The problem part of an exception's message (without the leading field name). */
    static String problem(InvalidBuildContextException e) {
        String m = e.getMessage();
        String head = e.field() + ": ";
        return m.startsWith(head) ? m.substring(head.length()) : m;
    }

    /**
     * Makes the build context on the agent.
     *
     * @param workspace the directory a relative {@code context} is resolved against
     * @param creds     the resolved secret material for {@link #credentialIds()}; null when none
     * @throws InvalidBuildContextException when a path, tag or reference is invalid, or when a secret,
     *                                      SSH key or registry credential named here was not resolved
     */
    public BuildContext toContext(Path workspace, ResolvedCredentials creds) {
        ResolvedCredentials c = creds == null ? ResolvedCredentials.none() : creds;
        Path ctx = Path.of(context);
        if (!ctx.isAbsolute()) {
            ctx = Objects.requireNonNull(workspace, "workspace").resolve(ctx);
        }
        BuildContext.Builder b = BuildContext.builder().contextDir(ctx.normalize()).tags(tags)
                .platforms(platforms.stream().map(p -> Platform.parse("platforms", p)).toList())
                .buildArgs(buildArgs).labels(labels).target(target).cacheFrom(cacheFrom).cacheTo(cacheTo).push(push)
                .noCache(noCache).pull(pull).networkMode(network).extraHosts(extraHosts);
        if (dockerfile != null) {
            b.dockerfile(Path.of(dockerfile));
        }
        for (CredentialRef r : secrets) {
            b.secret(r.id(), c.secret(r.id()).orElseThrow(() -> new InvalidBuildContextException("secrets",
                    "credentials '" + r.credentialsId() + "' for secret '" + r.id() + "' were not resolved;"
                            + " check that the credential exists and is a secret text or secret file")));
        }
        for (CredentialRef r : sshKeys) {
            b.sshKey(r.id(), c.sshKey(r.id()).orElseThrow(() -> new InvalidBuildContextException("sshKeys",
                    "credentials '" + r.credentialsId() + "' for SSH key '" + r.id() + "' were not resolved;"
                            + " check that the credential exists and is an SSH private key")));
        }
        if (registryCredentialsId != null && c.registryHosts().isEmpty()) {
            throw new InvalidBuildContextException("registryCredentialsId", "credentials '" + registryCredentialsId
                    + "' were not resolved; check that the credential exists and is a username with password");
        }
        for (RegistryCredentials r : c.registries()) {
            b.registryAuth(r);
        }
        return b.build();
    }

    /** The build arguments the context gets: the given ones, plus the inline-cache flag when asked for. */
    /**
     * The registry hosts this build talks to: those of the tags and of {@code cacheFrom}
     * ({@code docker.io} for references without a registry part). The plugin resolves
     * {@link #registryCredentialsId()} for each.
     */
    public List<String> registryHosts() {
        Set<String> hosts = new LinkedHashSet<>();
        for (String ref : tags) {
            hosts.add(registryHost(ref));
        }
        for (String ref : cacheFrom) {
            hosts.add(registryHost(ref));
        }
        return List.copyOf(hosts);
    }

    /** The registry host of an image reference, as Docker decides it. */
    public static String registryHost(String reference) {
        return ImageReference.parse("tags", reference).host();
    }

    /** Every credentials id this build needs resolved, each once, in order. */
    public List<String> credentialIds() {
        Set<String> ids = new LinkedHashSet<>();
        secrets.forEach(r -> ids.add(r.credentialsId()));
        sshKeys.forEach(r -> ids.add(r.credentialsId()));
        if (registryCredentialsId != null) {
            ids.add(registryCredentialsId);
        }
        return List.copyOf(ids);
    }

    /**
     * The arguments that give this request again through {@link #fromArguments(Map)}: only keys that
     * differ from their defaults, with lists, maps, strings and booleans only.
     */
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!context.equals(".")) {
            m.put("context", context);
        }
        putIfSet(m, "dockerfile", dockerfile);
        putIfSet(m, "tags", tags);
        putIfSet(m, "platforms", platforms);
        putIfSet(m, "buildArgs", buildArgs);
        putIfSet(m, "labels", labels);
        putIfSet(m, "target", target);
        putIfSet(m, "secrets", refMaps(secrets));
        putIfSet(m, "sshKeys", refMaps(sshKeys));
        putIfSet(m, "registryCredentialsId", registryCredentialsId);
        putIfSet(m, "cacheFrom", cacheFrom);
        putIfSet(m, "cacheTo", cacheTo);
        if (noCache) {
            m.put("noCache", true);
        }
        if (pull) {
            m.put("pull", true);
        }
        putIfSet(m, "network", network);
        putIfSet(m, "extraHosts", extraHosts);
        if (push) {
            m.put("push", true);
        }
        putIfSet(m, "backend", backend);
        putIfSet(m, "timeout", timeout);
        putIfSet(m, "name", name);
        return m;
    }

    private static List<Map<String, Object>> refMaps(List<CredentialRef> refs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CredentialRef r : refs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("credentialsId", r.credentialsId());
            out.add(m);
        }
        return out;
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value == null || (value instanceof List<?> l && l.isEmpty()) || (value instanceof Map<?, ?> x && x.isEmpty())) {
            return;
        }
        m.put(key, value instanceof List<?> l ? new ArrayList<>(l)
                : value instanceof Map<?, ?> x ? new LinkedHashMap<>(x) : value);
    }

    /** The build context directory as given; relative to the workspace unless absolute. Default {@code .}. */
    public String context() {
        return context;
    }

    /** The Dockerfile as given (relative to the context unless absolute), or null for {@code Dockerfile}. */
    public String dockerfile() {
        return dockerfile;
    }

    public List<String> tags() {
        return Collections.unmodifiableList(tags);
    }

    /** Platforms in their canonical form, e.g. {@code linux/arm64}; empty for the daemon's own. */
    public List<String> platforms() {
        return Collections.unmodifiableList(platforms);
    }

    public Map<String, String> buildArgs() {
        return Collections.unmodifiableMap(buildArgs);
    }

    public Map<String, String> labels() {
        return Collections.unmodifiableMap(labels);
    }

    /** The target stage, or null. */
    public String target() {
        return target;
    }

    public List<CredentialRef> secrets() {
        return Collections.unmodifiableList(secrets);
    }

    public List<CredentialRef> sshKeys() {
        return Collections.unmodifiableList(sshKeys);
    }

    /** The username/password credential for the registries, or null. */
    public String registryCredentialsId() {
        return registryCredentialsId;
    }

    public List<String> cacheFrom() {
        return Collections.unmodifiableList(cacheFrom);
    }

    /** {@code type=inline} or null. */
    public String cacheTo() {
        return cacheTo;
    }

    public boolean noCache() {
        return noCache;
    }

    public boolean pull() {
        return pull;
    }

    /** The network mode, or null for the daemon's default. */
    public String network() {
        return network;
    }

    public Map<String, String> extraHosts() {
        return Collections.unmodifiableMap(extraHosts);
    }

    /** True when the built tags are to be pushed to their registries. */
    public boolean push() {
        return push;
    }

    /** The backend as given, or null. */
    public String backend() {
        return backend;
    }

    /** The backend to use; {@link Backend#AUTO} when none was given. */
    public Backend backendValue() {
        return Backend.parse("backend", backend);
    }

    /** The timeout as given (e.g. {@code 30m}), or null. */
    public String timeout() {
        return timeout;
    }

    /** The timeout, or null when the build has none. */
    public Duration timeoutDuration() {
        return timeout == null ? null : GoDuration.parse("timeout", timeout);
    }

    /** The display name given for a batch entry, or null. */
    public String name() {
        return name;
    }

    /** A name to show: the given name, else the first tag, else the context directory. */
    public String displayName() {
        return name != null ? name : !tags.isEmpty() ? tags.get(0) : context;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuildRequest r && toArguments().equals(r.toArguments());
    }

    @Override
    public int hashCode() {
        return toArguments().hashCode();
    }

    @Override
    public String toString() {
        return "BuildRequest" + toArguments();
    }
}
