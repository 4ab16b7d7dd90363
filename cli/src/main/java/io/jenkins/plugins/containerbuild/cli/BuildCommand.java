package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.ManifestFormat;
import io.jenkins.plugins.containerbuild.engine.api.SourceInfo;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
import io.jenkins.plugins.containerbuild.engine.steps.SourceMetadata;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code container-build build}: builds one image. */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = "Build an image from a context directory.",
        modelTransformer = BuildOptionBinding.class)
final class BuildCommand implements Callable<Integer> {
    /** The command's model: the build options are read from it (see {@link BuildOptionBinding}). */
    @Spec
    CommandSpec spec;

    @Mixin
    EngineOptions engineOptions;

    @Parameters(index = "0", paramLabel = "PATH", description = "The build context directory")
    Path context;

    @Option(
            names = "--manifest-format",
            defaultValue = "docker",
            description = "List format for several platforms:"
                    + " docker (manifest list) or oci (image index) (default: ${DEFAULT-VALUE})")
    String manifestFormat;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            description = "auto, plain, tty or json (default: ${DEFAULT-VALUE})")
    ProgressMode progress;

    @Option(names = "--history", description = "Append this build's metrics to a history file (JSON lines) for 'stats'")
    Path historyFile;

    @Option(names = "--metadata-file", description = "Write the result (image id, tags, metrics) as JSON to this file")
    Path metadataFile;

    @Option(
            names = "--ssh-passphrase-env",
            paramLabel = "VAR",
            description = "Environment variable holding the" + " passphrase of the --ssh key files")
    String sshPassphraseEnv;

    @Option(
            names = "--registry-auth",
            paramLabel = "HOST=USER",
            description = "Credentials for a registry the"
                    + " build pulls from; the password comes from $" + SecretOptions.REGISTRY_PASSWORD_ENV
                    + " or --registry-password-stdin, never from an argument (repeatable)")
    List<String> registryAuth = new ArrayList<>();

    @Option(
            names = "--registry-password-stdin",
            description = "Read the --registry-auth password from the first" + " line of standard input")
    boolean registryPasswordStdin;

    @Override
    public Integer call() throws IOException {
        BuildContext ctx = toContext();
        PrintStream out = System.out;
        // With --progress json stdout carries only JSON; the summary goes to stderr.
        PrintStream summary = progress == ProgressMode.json ? System.err : out;
        try (BuildEngine engine = engineOptions.engine(historyFile)) {
            try {
                BuildResult result = engine.build(ctx, progress.listener(out));
                writeMetadata(BuildResultMaps.result(result));
                if (result.imageId() != null) {
                    summary.println("image: " + result.imageId());
                }
                ctx.outputs().forEach(o -> summary.println("output: " + o));
                if (result.digest() != null) {
                    summary.println("pushed: " + result.tags() + " " + result.digest());
                    result.platforms()
                            .forEach(p ->
                                    summary.println("  " + p.platform() + ": " + p.reference() + " " + p.digest()));
                }
                summary.println("metrics: " + oneLine(result.metrics()));
                return 0;
            } catch (BuildFailedException e) {
                if (e.metrics() != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("imageId", null);
                    m.put("tags", ctx.tags());
                    m.put("metrics", BuildResultMaps.metrics(e.metrics()));
                    writeMetadata(m);
                }
                throw e;
            }
        }
    }

    /**
     * The build context of the command line: the build options go through the same {@link BuildSpec} the Pipeline
     * step makes (so they are checked by the same rules), then the CLI adds the secret material it reads itself.
     */
    BuildContext toContext() {
        Map<BuildOption, Object> given = BuildOptionBinding.given(spec);
        Map<String, Object> args = new LinkedHashMap<>();
        given.forEach((o, v) -> {
            switch (o.kind()) {
                case PAIRS -> args.put(o.key(), KeyValues.parse(o.cliNames().get(0), strings(v), '='));
                case HOSTS -> args.put(o.key(), KeyValues.parse(o.cliNames().get(0), strings(v), ':'));
                case REFS -> {} // the CLI's own secret syntax, read below
                default -> args.put(o.key(), v);
            }
        });
        args.put(BuildOption.CONTEXT.key(), context.toString());
        if (dockerfile() != null) {
            // Like docker build: -f is relative to the current directory, not the context.
            args.put(BuildOption.DOCKERFILE.key(), dockerfile().toAbsolutePath().toString());
        }
        if (given.get(BuildOption.PLATFORMS) instanceof List<?> platforms) {
            args.put(BuildOption.PLATFORMS.key(), String.join(",", strings(platforms)));
        }
        BuildSpec buildSpec = BuildSpecArguments.fromArguments(args);
        if (!buildSpec.tagRules().isEmpty()) {
            // --meta-tag rules read the git checkout the context is in, as metadata-action reads the workflow's.
            buildSpec = SourceMetadata.apply(buildSpec, MetaCommand.gitState(context, null), Instant.now());
        }
        BuildContext.Builder b = BuildSpecArguments.contextBuilder(
                        buildSpec, Path.of("").toAbsolutePath())
                .manifestFormat(manifestFormat(manifestFormat));
        SecretOptions.secrets(strings(given.get(BuildOption.SECRETS)), System::getenv)
                .forEach(b::secret);
        SecretOptions.sshKeys(strings(given.get(BuildOption.SSH_KEYS)), sshPassphraseEnv, System::getenv)
                .forEach(b::sshKey);
        SecretOptions.registryAuth(registryAuth, registryPasswordStdin, System.in, System::getenv)
                .forEach(b::registryAuth);
        // Run by a CI job (BUILD_URL, GIT_URL, GIT_COMMIT): the provenance names it and the source revision.
        SourceInfo.fromEnvironment(System.getenv()).ifPresent(b::sourceInfo);
        return b.build();
    }

    private Path dockerfile() {
        Object f = spec.findOption("--file").getValue();
        return f == null ? null : Path.of(f.toString());
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(e -> out.add(String.valueOf(e)));
        }
        return out;
    }

    static ManifestFormat manifestFormat(String v) {
        return switch (v == null ? "docker" : v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "docker" -> ManifestFormat.DOCKER;
            case "oci" -> ManifestFormat.OCI;
            default ->
                throw new InvalidBuildContextException(
                        "--manifest-format", "'" + v + "' is not a list format;" + " use docker or oci");
        };
    }

    private void writeMetadata(Map<String, Object> m) throws IOException {
        if (metadataFile != null) {
            Files.writeString(metadataFile, Json.write(m) + "\n", StandardCharsets.UTF_8);
        }
    }

    static String oneLine(BuildMetrics m) {
        return String.format(
                java.util.Locale.ROOT,
                "%s in %.1fs, %d steps (%d cached, hit rate %.0f%%), %d layers, %.1f MB, context %.1f kB, backend %s",
                m.status(),
                m.duration().toMillis() / 1000.0,
                m.stepsTotal(),
                m.stepsCached(),
                m.cacheHitRate() * 100,
                m.layers(),
                m.imageSizeBytes() / 1e6,
                m.contextBytes() / 1e3,
                m.backend());
    }
}
