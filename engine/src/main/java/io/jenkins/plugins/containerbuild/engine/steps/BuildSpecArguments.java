package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.CacheExports;
import io.jenkins.plugins.containerbuild.engine.api.CacheImports;
import io.jenkins.plugins.containerbuild.engine.api.CredentialRef;
import io.jenkins.plugins.containerbuild.engine.api.GateConfig;
import io.jenkins.plugins.containerbuild.engine.api.GoDuration;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.meta.MetadataRules;
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
 * A {@link BuildSpec} in its argument form: the named arguments of the {@code containerBuild} step, of a batch entry
 * and of batch YAML, keyed by {@link BuildOption#key()}. Reading checks types and unknown keys and names the option
 * in every error (with a prefix such as {@code builds[2].} for batch entries); the spec then checks the rest.
 */
public final class BuildSpecArguments {
    /** The accepted argument names, in the order the step's documentation lists them. */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(BuildOption.keys()));

    private static final Set<String> LOGIN_KEYS =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("host", "credentialsId")));

    private static final Set<String> REF_KEYS =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("id", "credentialsId")));

    private BuildSpecArguments() {}

    /**
     * Reads the arguments of one build.
     *
     * @param args the step's named arguments; Groovy strings, numbers and lists are accepted
     * @throws InvalidBuildContextException naming the key and what it expects, for any wrong value
     */
    public static BuildSpec fromArguments(Map<String, ?> args) {
        return fromArguments("", args);
    }

    /** As {@link #fromArguments(Map)}, with every field in errors prefixed (e.g. {@code builds[2].}). */
    public static BuildSpec fromArguments(String prefix, Map<String, ?> args) {
        Arguments a = Arguments.of(prefix, args, KEYS);
        List<String> platforms = platforms(a);
        List<CredentialRef> secrets = refs(a, BuildOption.SECRETS.key(), null);
        List<CredentialRef> sshKeys = refs(a, BuildOption.SSH_KEYS.key(), "default");
        List<BuildSpec.RegistryLogin> registries = registries(a);
        Backend backend = Backend.parse(a.field("backend"), a.string("backend", null));
        String timeoutText = a.string("timeout", null);
        Duration timeout = timeoutText == null ? null : GoDuration.parse(a.field("timeout"), timeoutText);
        GateConfig gates = GateArguments.read(a, prefix);
        try {
            BuildSpec spec = new BuildSpec(
                    a.string("context", "."),
                    a.string("dockerfile", null),
                    a.strings("tags", true),
                    platforms,
                    a.stringMap("buildArgs", true),
                    a.stringMap("labels", true),
                    a.string("target", null),
                    secrets,
                    sshKeys,
                    registries,
                    a.strings("cacheFrom", true),
                    a.strings("cacheTo", true),
                    a.bool("noCache", false),
                    a.bool("pull", false),
                    a.string("network", null),
                    a.stringMap("extraHosts", false),
                    a.bool("push", false),
                    backend,
                    timeout,
                    a.string("name", null),
                    gates,
                    a.strings("outputs", true),
                    a.string("builder", null),
                    a.string("builderCredentialsId", null),
                    a.strings("attestations", true),
                    a.strings("images", true),
                    a.strings("tagRules", true),
                    a.strings("flavor", true));
            if (!spec.tagRules().isEmpty()) {
                MetadataRules.parse(spec.images(), spec.tagRules(), spec.flavor()); // refuses bad rules now
            }
            return spec;
        } catch (InvalidBuildContextException e) {
            throw new InvalidBuildContextException(prefix + e.field(), Arguments.problem(e));
        }
    }

    private static List<String> platforms(Arguments a) {
        Object raw = a.raw("platforms");
        List<String> given =
                raw instanceof CharSequence s ? List.of(s.toString().split(",")) : a.strings("platforms", false);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            out.add(Platform.parse(
                            a.field("platforms") + (raw instanceof CharSequence ? "" : "[" + i + "]"),
                            given.get(i).trim())
                    .specifier());
        }
        return out;
    }

    private static List<BuildSpec.RegistryLogin> registries(Arguments a) {
        String credentialsId = a.string("registryCredentialsId", null);
        String host = a.string("registryHost", null);
        List<BuildSpec.RegistryLogin> out = new ArrayList<>();
        if (credentialsId == null) {
            if (host != null) {
                throw new InvalidBuildContextException(
                        a.field("registryHost"),
                        "names the registry that"
                                + " registryCredentialsId logs in to; give registryCredentialsId too, or drop registryHost");
            }
        } else {
            out.add(new BuildSpec.RegistryLogin(credentialsId, host));
        }
        String key = BuildOption.REGISTRIES.key();
        String example = "[host: 'registry.example.com', credentialsId: 'registry-login']";
        List<Map<String, ?>> maps = a.maps(key, example);
        for (int i = 0; i < maps.size(); i++) {
            String p = a.field(key) + "[" + i + "].";
            Arguments login = Arguments.of(p, maps.get(i), LOGIN_KEYS);
            String h = login.string("host", null);
            if (h == null) {
                throw new InvalidBuildContextException(
                        p + "host", "is required: the registry these credentials log in to; e.g. " + example);
            }
            String id = login.string("credentialsId", null);
            if (id == null) {
                throw new InvalidBuildContextException(
                        p + "credentialsId",
                        "is required: the id of a username/password credential for " + h + "; e.g. " + example);
            }
            out.add(new BuildSpec.RegistryLogin(id, h));
        }
        if (!maps.isEmpty() && credentialsId != null && host == null) {
            throw new InvalidBuildContextException(
                    a.field("registryCredentialsId"),
                    "without registryHost it logs in to every registry the build names, which registries already"
                            + " lists; give registryHost, or list that login in registries");
        }
        return out;
    }

    private static List<CredentialRef> refs(Arguments a, String key, String defaultId) {
        String example = "[id: '" + (defaultId == null ? "npm" : defaultId) + "', credentialsId: '"
                + (defaultId == null ? "npm-token" : "git-key") + "']";
        List<CredentialRef> out = new ArrayList<>();
        List<Map<String, ?>> maps = a.maps(key, example);
        for (int i = 0; i < maps.size(); i++) {
            String p = a.field(key) + "[" + i + "].";
            Arguments ref = Arguments.of(p, maps.get(i), REF_KEYS);
            String id = ref.string("id", defaultId);
            if (id == null) {
                throw new InvalidBuildContextException(
                        p + "id",
                        "is required: the id the Dockerfile uses in" + " RUN --mount=type=secret,id=…; e.g. "
                                + example);
            }
            String credentialsId = ref.string("credentialsId", null);
            if (credentialsId == null) {
                throw new InvalidBuildContextException(
                        p + "credentialsId",
                        "is required: the id of the credential" + " that holds the value; e.g. " + example);
            }
            try {
                out.add(new CredentialRef(id, credentialsId));
            } catch (InvalidBuildContextException e) {
                throw new InvalidBuildContextException(p + e.field(), Arguments.problem(e));
            }
        }
        return out;
    }

    /**
     * The arguments that give {@code spec} again through {@link #fromArguments(Map)}: only keys that differ from
     * their defaults, with lists, maps, strings and booleans only.
     */
    public static Map<String, Object> toArguments(BuildSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!spec.context().equals(".")) {
            m.put("context", spec.context());
        }
        putIfSet(m, "dockerfile", spec.dockerfile());
        putIfSet(m, "tags", spec.tags());
        putIfSet(m, "platforms", spec.platforms());
        putIfSet(m, "buildArgs", spec.buildArgs());
        putIfSet(m, "labels", spec.labels());
        putIfSet(m, "target", spec.target());
        putIfSet(m, "secrets", refMaps(spec.secrets()));
        putIfSet(m, "sshKeys", refMaps(spec.sshKeys()));
        if (spec.registries().size() == 1) {
            BuildSpec.RegistryLogin r = spec.registries().get(0);
            m.put("registryCredentialsId", r.credentialsId());
            putIfSet(m, "registryHost", r.host());
        } else if (!spec.registries().isEmpty()) {
            List<Map<String, Object>> logins = new ArrayList<>();
            for (BuildSpec.RegistryLogin r : spec.registries()) {
                Map<String, Object> login = new LinkedHashMap<>();
                login.put("host", r.host());
                login.put("credentialsId", r.credentialsId());
                logins.add(login);
            }
            m.put(BuildOption.REGISTRIES.key(), logins);
        }
        putIfSet(m, "images", spec.images());
        putIfSet(m, "tagRules", spec.tagRules());
        putIfSet(m, "flavor", spec.flavor());
        putIfSet(m, "cacheFrom", spec.cacheFrom());
        putIfSet(m, "cacheTo", spec.cacheTo());
        putFlag(m, "noCache", spec.noCache());
        putFlag(m, "pull", spec.pull());
        putIfSet(m, "network", spec.network());
        putIfSet(m, "extraHosts", spec.extraHosts());
        putFlag(m, "push", spec.push());
        putIfSet(
                m,
                "backend",
                spec.backend() == Backend.AUTO ? null : spec.backend().name());
        putIfSet(m, "timeout", spec.timeout() == null ? null : goDuration(spec.timeout()));
        putIfSet(m, "name", spec.name());
        m.putAll(GateArguments.toArguments(spec.gates()));
        putIfSet(m, "outputs", spec.outputs());
        putIfSet(m, "builder", spec.builder());
        putIfSet(m, "builderCredentialsId", spec.builderCredentialsId());
        putIfSet(m, "attestations", spec.attestations());
        return m;
    }

    /** A duration as Go writes it, e.g. {@code 1h30m}, {@code 45s}, {@code 1m500ms}. */
    static String goDuration(Duration d) {
        StringBuilder b = new StringBuilder();
        long s = d.getSeconds();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 > 0 || (b.length() == 0 && d.getNano() == 0)) {
            b.append(s % 60).append('s');
        }
        if (d.getNano() > 0) {
            b.append(d.getNano() % 1_000_000 == 0 ? d.getNano() / 1_000_000 + "ms" : d.getNano() + "ns");
        }
        return b.toString();
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

    private static void putFlag(Map<String, Object> m, String key, boolean on) {
        if (on) {
            m.put(key, true);
        }
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value == null
                || (value instanceof List<?> l && l.isEmpty())
                || (value instanceof Map<?, ?> x && x.isEmpty())) {
            return;
        }
        m.put(
                key,
                value instanceof List<?> l
                        ? new ArrayList<>(l)
                        : value instanceof Map<?, ?> x ? new LinkedHashMap<>(x) : value);
    }

    /**
     * A context builder with every option of {@code spec} but its credentials, for a front end that resolves secret
     * material its own way (the CLI reads files and variables).
     *
     * @param workspace the directory a relative {@code context} is resolved against
     */
    public static BuildContext.Builder contextBuilder(BuildSpec spec, Path workspace) {
        Path ctx = Path.of(spec.context());
        if (!ctx.isAbsolute()) {
            ctx = Objects.requireNonNull(workspace, "workspace").resolve(ctx);
        }
        BuildContext.Builder b = BuildContext.builder()
                .contextDir(ctx.normalize())
                .tags(spec.tags())
                .platforms(spec.platforms().stream()
                        .map(p -> Platform.parse("platforms", p))
                        .toList())
                .buildArgs(spec.buildArgs())
                .labels(spec.labels())
                .target(spec.target())
                .cacheFrom(spec.cacheFrom().stream()
                        .map(e -> CacheImports.resolvedAgainst(e, workspace))
                        .toList())
                .cacheTo(spec.cacheTo().stream()
                        .map(e -> CacheExports.resolvedAgainst(e, workspace))
                        .toList())
                .push(spec.push())
                .noCache(spec.noCache())
                .pull(spec.pull())
                .networkMode(spec.network())
                .extraHosts(spec.extraHosts())
                .outputs(outputs(spec, workspace))
                .attestations(spec.attestations());
        if (spec.dockerfile() != null) {
            b.dockerfile(Path.of(spec.dockerfile()));
        }
        return b;
    }

    /** The outputs, with a relative {@code dest} resolved against the workspace (as the context is). */
    private static List<BuildOutput> outputs(BuildSpec spec, Path workspace) {
        List<BuildOutput> out = new ArrayList<>();
        for (String o : spec.outputs()) {
            BuildOutput parsed = BuildOutput.parse("outputs", o);
            Path dest = parsed.dest();
            if (dest != null && !dest.isAbsolute()) {
                dest = Objects.requireNonNull(workspace, "workspace")
                        .resolve(dest)
                        .normalize();
            }
            out.add(new BuildOutput(parsed.type(), parsed.attrs(), dest));
        }
        return out;
    }

    /**
     * The standalone buildkitd {@code spec} names, with its client certificate when it gives
     * {@code builderCredentialsId}; null when it builds on the Docker daemon.
     *
     * @throws InvalidBuildContextException when the certificate was not resolved
     */
    public static BuilderEndpoint builder(BuildSpec spec, ResolvedCredentials creds) {
        return builder(spec.builder(), spec.builderCredentialsId(), creds);
    }

    /**
     * As {@link #builder(BuildSpec, ResolvedCredentials)}, for a front end that names the builder itself (a prune).
     *
     * @param address       the builder's address, or null for the Docker daemon
     * @param credentialsId the client certificate credential's id, or null
     */
    public static BuilderEndpoint builder(String address, String credentialsId, ResolvedCredentials creds) {
        if (address == null) {
            return null;
        }
        BuilderEndpoint b = BuilderEndpoint.of(address, null);
        if (credentialsId == null) {
            return b;
        }
        ResolvedCredentials c = creds == null ? ResolvedCredentials.none() : creds;
        return b.withCertificate(c.builderCertificate()
                .orElseThrow(() -> new InvalidBuildContextException(
                        BuildOption.BUILDER_CREDENTIALS_ID.key(),
                        "credentials '" + credentialsId + "' were not resolved; check that the"
                                + " credential exists and is a Docker Server Credentials entry (client key, client"
                                + " certificate, server CA certificate)")));
    }

    /**
     * Makes the build context on the agent.
     *
     * @param workspace the directory a relative {@code context} is resolved against
     * @param creds     the resolved secret material for {@link BuildSpec#credentialIds()}; null when none
     * @throws InvalidBuildContextException when a path, tag or reference is invalid, or when a secret,
     *                                      SSH key or registry credential named here was not resolved
     */
    public static BuildContext toContext(BuildSpec spec, Path workspace, ResolvedCredentials creds) {
        ResolvedCredentials c = creds == null ? ResolvedCredentials.none() : creds;
        BuildContext.Builder b = contextBuilder(spec, workspace);
        for (CredentialRef r : spec.secrets()) {
            b.secret(
                    r.id(),
                    c.secret(r.id())
                            .orElseThrow(
                                    () -> new InvalidBuildContextException(
                                            "secrets",
                                            "credentials '" + r.credentialsId() + "' for secret '" + r.id()
                                                    + "' were not resolved;"
                                                    + " check that the credential exists and is a secret text or secret file")));
        }
        for (CredentialRef r : spec.sshKeys()) {
            b.sshKey(
                    r.id(),
                    c.sshKey(r.id())
                            .orElseThrow(() -> new InvalidBuildContextException(
                                    "sshKeys",
                                    "credentials '" + r.credentialsId() + "' for SSH key '" + r.id()
                                            + "' were not resolved;"
                                            + " check that the credential exists and is an SSH private key")));
        }
        if (!spec.registries().isEmpty() && c.registryHosts().isEmpty()) {
            throw new InvalidBuildContextException(
                    "registryCredentialsId",
                    "credentials '"
                            + spec.registries().get(0).credentialsId()
                            + "' were not resolved; check that the credential exists and is a username with password");
        }
        for (RegistryCredentials r : c.registries()) {
            b.registryAuth(r);
        }
        return b.build();
    }
}
