package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every option of one build, declared once: its argument name (the {@code containerBuild} step's parameter, the
 * freestyle builder's field, the key in batch YAML and in {@link BuildSpec}'s argument form), how its value is
 * written, the command line's flags for it, and what it means. The Pipeline step, the freestyle builder and the
 * CLI bind to these declarations; adding an option starts here (STYLE_GUIDE.md, "Adding an option").
 */
public enum BuildOption {
    CONTEXT(
            "context",
            Kind.TEXT,
            List.of(),
            "The build context directory, relative to the workspace (default: the workspace)"),
    DOCKERFILE("dockerfile", Kind.TEXT, List.of("-f", "--file"), "The Dockerfile (default: Dockerfile in the context)"),
    TAGS("tags", Kind.LIST, List.of("-t", "--tag"), "Name and tag, e.g. team/app:1.0 (repeatable)"),
    PLATFORMS(
            "platforms",
            Kind.LIST,
            List.of("--platform"),
            "Target platform(s), comma-separated, e.g. linux/amd64,linux/arm64 (several platforms need push)"),
    BUILD_ARGS("buildArgs", Kind.PAIRS, List.of("--build-arg"), "Build argument KEY=VALUE (repeatable)"),
    LABELS("labels", Kind.PAIRS, List.of("--label"), "Image label KEY=VALUE (repeatable)"),
    TARGET("target", Kind.TEXT, List.of("--target"), "Build stage to stop at"),
    SECRETS(
            "secrets",
            Kind.REFS,
            List.of("--secret"),
            "Build secret for RUN --mount=type=secret; never on disk, in the image or in the log (repeatable)"),
    SSH_KEYS("sshKeys", Kind.REFS, List.of("--ssh"), "SSH key for RUN --mount=type=ssh (repeatable)"),
    REGISTRY_CREDENTIALS_ID(
            "registryCredentialsId",
            Kind.LITERAL,
            List.of(),
            "Username/password credential for the registries of the tags and cache sources"),
    REGISTRY_HOST(
            "registryHost",
            Kind.TEXT,
            List.of(),
            "The registry host the credential is for (default: the hosts of the tags and cache sources)"),
    REGISTRIES(
            "registries",
            Kind.REFS,
            List.of(),
            "Registry logins, one per host: [host:, credentialsId:] entries, used to pull, push and for cache"
                    + " (registryCredentialsId and registryHost are the one-registry shorthand)"),
    CACHE_FROM(
            "cacheFrom",
            Kind.LINES,
            List.of("--cache-from"),
            "Cache to use: an image reference, type=registry,ref=HOST/REPO:TAG or type=local,src=DIR (repeatable)"),
    CACHE_TO(
            "cacheTo",
            Kind.LINES,
            List.of("--cache-to"),
            "Cache export as buildx writes it: type=inline (with push), or on a buildkitd builder"
                    + " type=registry,ref=HOST/REPO:TAG[,mode=min|max] (repeatable)"),
    NO_CACHE("noCache", Kind.FLAG, List.of("--no-cache"), "Do not use the build cache"),
    PULL("pull", Kind.FLAG, List.of("--pull"), "Always look for newer base images"),
    NETWORK("network", Kind.TEXT, List.of("--network"), "Network for RUN steps: default, host or none"),
    EXTRA_HOSTS("extraHosts", Kind.HOSTS, List.of("--add-host"), "Extra /etc/hosts entry HOST:IP (repeatable)"),
    PUSH(
            "push",
            Kind.FLAG,
            List.of("--push"),
            "Push the image to the registry its tag names; with several platforms, push each and a manifest list"),
    OUTPUTS(
            "outputs",
            Kind.LINES,
            List.of("-o", "--output"),
            "Output as buildx writes it: type=image[,name=…], type=oci|docker|tar,dest=FILE, type=local,dest=DIR"
                    + " (repeatable; file outputs need BuildKit: a Docker daemon with BuildKit or a buildkitd builder)"),
    ATTESTATIONS(
            "attestations",
            Kind.LINES,
            List.of("--attest"),
            "Attestation as buildx writes it: type=provenance[,mode=min|max] (SLSA provenance beside the pushed image;"
                    + " off by default; a buildkitd builder makes it)"),
    BUILDER(
            "builder",
            Kind.TEXT,
            List.of(),
            "A standalone buildkitd to build on: unix:///path/buildkitd.sock or tcp://host:port (default: the"
                    + " agent's Docker daemon)"),
    BUILDER_CREDENTIALS_ID(
            "builderCredentialsId",
            Kind.LITERAL,
            List.of(),
            "Docker Server Credentials (client key, client certificate, CA) for a tcp:// builder's mutual TLS"),
    IMAGES(
            "images",
            Kind.LIST,
            List.of("--meta-image"),
            "Image to tag by the tag rules, without a tag, e.g. registry.example.com/team/app (repeatable)"),
    TAG_RULES(
            "tagRules",
            Kind.LINES,
            List.of("--meta-tag"),
            "Tag rule in docker/metadata-action's syntax, e.g. type=semver,pattern={{version}} or"
                    + " type=ref,event=branch (repeatable); the tags it gives are added to the tags, with OCI labels"),
    FLAVOR(
            "flavor",
            Kind.LINES,
            List.of("--meta-flavor"),
            "metadata-action's flavor: latest=auto|true|false, prefix=…, suffix=…[,onlatest=true] (repeatable)"),
    BACKEND("backend", Kind.LITERAL, List.of(), "The builder: AUTO (default), BUILDKIT, CLASSIC or PODMAN"),
    TIMEOUT("timeout", Kind.TEXT, List.of(), "The build's time limit, e.g. 30m or 1h30m (default: none)"),
    NAME("name", Kind.TEXT, List.of(), "A name for the build in batch results and on the run's page"),
    FAIL_IF(
            "failIf",
            Kind.GATES,
            List.of(),
            "Fail when a threshold is crossed: cacheHitRateBelow (0..1), sizeGrowthAbovePercent"),
    UNSTABLE_IF("unstableIf", Kind.GATES, List.of(), "As failIf, but mark the run unstable instead");

    /** How an option's value is written. */
    public enum Kind {
        /** One text value. */
        TEXT,
        /** One value taken as written: an id or a choice, never expanded. */
        LITERAL,
        /** A list of texts (a single text is one item). */
        LIST,
        /**
         * A list of texts whose items hold commas (buildx's {@code KEY=VALUE,…} specs, tag rules): in a form, one item
         * per line.
         */
        LINES,
        /** {@code KEY=VALUE} pairs. */
        PAIRS,
        /** {@code HOST:IP} pairs, as {@code docker build --add-host} takes them. */
        HOSTS,
        /** On or off. */
        FLAG,
        /**
         * References to secret material: entries of argument maps ({@code [id:, credentialsId:]}, or for registries
         * {@code [host:, credentialsId:]}).
         */
        REFS,
        /** Quality-gate thresholds: {@code [cacheHitRateBelow:, sizeGrowthAbovePercent:]}. */
        GATES
    }

    private final String key;
    private final Kind kind;
    private final List<String> cliNames;
    private final String help;

    BuildOption(String key, Kind kind, List<String> cliNames, String help) {
        this.key = key;
        this.kind = kind;
        this.cliNames = cliNames;
        this.help = help;
    }

    /** The argument name, e.g. {@code buildArgs}. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** The command line's flags, short first; empty for an option the CLI takes elsewhere or not at all. */
    public List<String> cliNames() {
        return cliNames;
    }

    /** One line on what the option does. */
    public String help() {
        return help;
    }

    /** Every argument name, in declaration order (the order documentation and errors list them). */
    public static List<String> keys() {
        return Arrays.stream(values()).map(BuildOption::key).toList();
    }

    /** The option of an argument name. */
    public static Optional<BuildOption> ofKey(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
    }
}
