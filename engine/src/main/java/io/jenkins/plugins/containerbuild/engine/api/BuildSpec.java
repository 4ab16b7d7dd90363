package io.jenkins.plugins.containerbuild.engine.api;

import java.io.Serializable;
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
 * One build as a front end describes it: every {@link BuildOption}, checked, with credential references but never
 * secret material. The {@code containerBuild} step, the freestyle builder, batch entries and the CLI make one, and
 * it travels to the agent as it is, where it becomes a {@link BuildContext} once its credentials are resolved.
 *
 * <p>The constructor checks everything that needs no workspace: platforms, ids, {@code cacheTo}, {@code network},
 * that {@code push} has tags and that several platforms are pushed; each error names the option. Paths are
 * checked when the context is made.
 *
 * @param context    the context directory as given; relative to the workspace unless absolute
 * @param dockerfile the Dockerfile as given (relative to the context unless absolute), or null for the default
 * @param tags       image references to tag (and push)
 * @param platforms  platforms in canonical form ({@code linux/arm64}); empty for the daemon's own
 * @param buildArgs  build arguments
 * @param labels     image labels
 * @param target     the stage to build, or null for the last
 * @param secrets    build secrets by id
 * @param sshKeys    SSH identities by id
 * @param registries registry logins
 * @param cacheFrom  images to take cache from
 * @param cacheTo    cache exports in buildx's {@code --cache-to} syntax (checked, canonical); empty for none
 * @param noCache    build without the cache
 * @param pull       always look for newer base images
 * @param network    the network of RUN steps, or null for the daemon's default
 * @param extraHosts extra {@code /etc/hosts} entries, host to address
 * @param push       push the tags
 * @param backend    the builder ({@link Backend#AUTO} to ask the daemon)
 * @param timeout    the build's time limit, or null for none
 * @param name       a display name, or null
 * @param gates      the quality gates
 * @param outputs    outputs in buildx's {@code --output} syntax (checked, canonical); empty for the image only
 * @param builder    a standalone buildkitd's address ({@code unix://…}, {@code tcp://…}), or null for the Docker daemon
 * @param builderCredentialsId the client certificate credential for a {@code tcp://} builder's mutual TLS, or null
 * @param attestations attestations in buildx's {@code --attest} syntax (checked, canonical); empty for none
 * @param images     images the tag rules tag (without a tag); empty for none
 * @param tagRules   tag rules in docker/metadata-action's syntax, applied where the source's state is known (the
 *                   Jenkins run's environment, a git checkout): their tags join {@code tags}, their OCI labels
 *                   {@code labels}; empty for none
 * @param flavor     metadata-action's flavor lines for the tag rules
 */
public record BuildSpec(
        String context,
        String dockerfile,
        List<String> tags,
        List<String> platforms,
        Map<String, String> buildArgs,
        Map<String, String> labels,
        String target,
        List<CredentialRef> secrets,
        List<CredentialRef> sshKeys,
        List<RegistryLogin> registries,
        List<String> cacheFrom,
        List<String> cacheTo,
        boolean noCache,
        boolean pull,
        String network,
        Map<String, String> extraHosts,
        boolean push,
        Backend backend,
        Duration timeout,
        String name,
        GateConfig gates,
        List<String> outputs,
        String builder,
        String builderCredentialsId,
        List<String> attestations,
        List<String> images,
        List<String> tagRules,
        List<String> flavor)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The build argument that makes BuildKit embed cache metadata in the image ({@code cacheTo: 'type=inline'}). */
    public static final String INLINE_CACHE_ARG = "BUILDKIT_INLINE_CACHE";

    private static final Set<String> NETWORKS = Set.of("default", "host", "none", "bridge");

    /**
     * A registry login.
     *
     * @param credentialsId where the front end finds the username and password (in Jenkins a credential's id)
     * @param host          the registry host it is for, or null for every registry the build talks to
     */
    public record RegistryLogin(String credentialsId, String host) implements Serializable {
        private static final long serialVersionUID = 1L;

        public RegistryLogin {
            if (credentialsId == null || credentialsId.isBlank()) {
                throw new InvalidBuildContextException(
                        BuildOption.REGISTRY_CREDENTIALS_ID.key(), "must name a username/password credential");
            }
        }
    }

    /** A registry logged in to twice would leave which credentials apply to chance. */
    private static void checkHostsOnce(List<RegistryLogin> logins) {
        Set<String> hosts = new LinkedHashSet<>();
        for (RegistryLogin l : logins) {
            String host = l.host() == null ? "" : l.host().toLowerCase(java.util.Locale.ROOT);
            if (!hosts.add(host)) {
                throw new InvalidBuildContextException(
                        BuildOption.REGISTRIES.key(),
                        l.host() == null
                                ? "two logins name no host; give each its host"
                                : "the host " + l.host() + " is listed twice; give each registry one login");
            }
        }
    }

    /** Copies and checks every component; see the class description. */
    public BuildSpec {
        context = context == null || context.isBlank() ? "." : context;
        tags = list(tags);
        platforms = canonicalPlatforms(list(platforms));
        buildArgs = map(buildArgs);
        labels = map(labels);
        secrets = uniqueIds(BuildOption.SECRETS, list(secrets));
        sshKeys = uniqueIds(BuildOption.SSH_KEYS, list(sshKeys));
        registries = list(registries);
        checkHostsOnce(registries);
        cacheFrom = list(cacheFrom);
        extraHosts = map(extraHosts);
        backend = backend == null ? Backend.AUTO : backend;
        gates = gates == null ? GateConfig.none() : gates;
        outputs = canonicalOutputs(list(outputs));
        attestations = Attestations.check(list(attestations));
        cacheTo = CacheExports.check(list(cacheTo));
        if (network != null && !NETWORKS.contains(network)) {
            throw new InvalidBuildContextException(
                    BuildOption.NETWORK.key(),
                    "'" + network + "' is not supported for builds; use one of default, host, none");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidBuildContextException(BuildOption.TIMEOUT.key(), "must be longer than zero");
        }
        builder = builder == null || builder.isBlank() ? null : builder.trim();
        builderCredentialsId =
                builderCredentialsId == null || builderCredentialsId.isBlank() ? null : builderCredentialsId;
        BuilderEndpoint.checkOptions(builder, builderCredentialsId);
        if (push && !outputs.isEmpty() && outputs.stream().noneMatch(o -> o.startsWith("type=image"))) {
            throw new InvalidBuildContextException(
                    BuildOption.PUSH.key(),
                    "push: true pushes the image, but the outputs make none; add 'type=image' to outputs, or drop"
                            + " push");
        }
        images = list(images);
        tagRules = list(tagRules);
        flavor = list(flavor);
        if (!tagRules.isEmpty() && images.isEmpty()) {
            throw new InvalidBuildContextException(
                    BuildOption.IMAGES.key(),
                    "tagRules tag images: give images: ['registry.example.com/team/app'] too");
        }
        if (!images.isEmpty() && tagRules.isEmpty()) {
            throw new InvalidBuildContextException(
                    BuildOption.TAG_RULES.key(),
                    "images are tagged by tag rules: give tagRules too, e.g. ['type=ref,event=branch',"
                            + " 'type=semver,pattern={{version}}'], or use tags");
        }
        if (push && tags.isEmpty() && tagRules.isEmpty()) {
            throw new InvalidBuildContextException(
                    BuildOption.PUSH.key(),
                    "push: true needs at least one tag to" + " push; add tags: ['registry.example.com/team/app:1.0']");
        }
    }

    /** A spec of the defaults: the workspace as context, its Dockerfile, no tags. */
    public static BuildSpec defaults() {
        return new BuildSpec(
                ".",
                null,
                List.of(),
                List.of(),
                Map.of(),
                Map.of(),
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                false,
                false,
                null,
                Map.of(),
                false,
                Backend.AUTO,
                null,
                null,
                GateConfig.none(),
                List.of(),
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    /**
     * This spec with what the tag rules gave: their tags after the literal ones, their labels under the ones given
     * (a label given wins); the rules themselves are then done.
     */
    public BuildSpec withSourceMetadata(List<String> ruleTags, Map<String, String> ruleLabels) {
        List<String> allTags = new ArrayList<>(new LinkedHashSet<>(tags));
        ruleTags.stream().filter(t -> !allTags.contains(t)).forEach(allTags::add);
        Map<String, String> allLabels = new LinkedHashMap<>(ruleLabels);
        allLabels.putAll(labels);
        return new BuildSpec(
                context,
                dockerfile,
                allTags,
                platforms,
                buildArgs,
                allLabels,
                target,
                secrets,
                sshKeys,
                registries,
                cacheFrom,
                cacheTo,
                noCache,
                pull,
                network,
                extraHosts,
                push,
                backend,
                timeout,
                name,
                gates,
                outputs,
                builder,
                builderCredentialsId,
                attestations,
                List.of(),
                List.of(),
                List.of());
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(l));
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    private static List<String> canonicalOutputs(List<String> given) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            out.add(BuildOutput.parse(BuildOption.OUTPUTS.key() + "[" + i + "]", given.get(i))
                    .toString());
        }
        return List.copyOf(out);
    }

    private static List<String> canonicalPlatforms(List<String> given) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            out.add(Platform.parse(
                            BuildOption.PLATFORMS.key() + "[" + i + "]",
                            given.get(i).trim())
                    .specifier());
        }
        return List.copyOf(out);
    }

    private static List<CredentialRef> uniqueIds(BuildOption option, List<CredentialRef> refs) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < refs.size(); i++) {
            if (!ids.add(Objects.requireNonNull(refs.get(i), option.key()).id())) {
                throw new InvalidBuildContextException(
                        option.key() + "[" + i + "].id",
                        "'" + refs.get(i).id() + "' is given twice; each id must be unique");
            }
        }
        return refs;
    }

    /** A name to show: the given name, else the first tag, else the context directory. */
    public String displayName() {
        return name != null ? name : !tags.isEmpty() ? tags.get(0) : context;
    }

    /**
     * The registry hosts this build talks to: those of the tags, of {@code cacheFrom} and of registry cache exports
     * ({@code docker.io} for
     * references without a registry part). Registry logins without a host are resolved for each.
     */
    public List<String> registryHosts() {
        Set<String> hosts = new LinkedHashSet<>();
        for (String ref : tags) {
            hosts.add(ImageReference.parse(BuildOption.TAGS.key(), ref).host());
        }
        for (String entry : cacheFrom) {
            if (!CacheImports.isLocal(entry)) {
                hosts.add(ImageReference.parse(BuildOption.CACHE_FROM.key(), CacheImports.reference(entry))
                        .host());
            }
        }
        for (String export : cacheTo) {
            String ref = CacheExports.attributes(export).get("ref");
            if (ref != null) {
                hosts.add(ImageReference.parse(BuildOption.CACHE_TO.key(), ref).host());
            }
        }
        return List.copyOf(hosts);
    }

    /** Every credentials id this build needs resolved, each once, in order. */
    public List<String> credentialIds() {
        Set<String> ids = new LinkedHashSet<>();
        secrets.forEach(r -> ids.add(r.credentialsId()));
        sshKeys.forEach(r -> ids.add(r.credentialsId()));
        registries.forEach(r -> ids.add(r.credentialsId()));
        if (builderCredentialsId != null) {
            ids.add(builderCredentialsId);
        }
        return List.copyOf(ids);
    }
}
