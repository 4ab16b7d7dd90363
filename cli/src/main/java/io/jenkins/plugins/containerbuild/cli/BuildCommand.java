package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.ManifestFormat;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code container-build build}: builds one image. */
@Command(name = "build", mixinStandardHelpOptions = true, description = "Build an image from a context directory.")
final class BuildCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engineOptions;

    @Parameters(index = "0", paramLabel = "PATH", description = "The build context directory")
    Path context;

    @Option(names = {"-t", "--tag"}, description = "Name and tag, e.g. team/app:1.0 (repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, description = "The Dockerfile (default: PATH/Dockerfile)")
    Path dockerfile;

    @Option(names = "--build-arg", description = "Build argument K=V (repeatable)")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--label", description = "Image label K=V (repeatable)")
    List<String> labels = new ArrayList<>();

    @Option(names = "--target", description = "Build stage to stop at")
    String target;

    @Option(names = "--platform", description = "Target platform(s), comma-separated, e.g. linux/amd64,linux/arm64"
            + " (several platforms need --push)")
    String platform;

    @Option(names = "--push", description = "Push the image to the registry its tag names; with several platforms,"
            + " push each and a manifest list")
    boolean push;

    @Option(names = "--cache-to", description = "Cache export: only type=inline (needs --push); the daemon's"
            + " built-in BuildKit cannot export type=registry or type=local")
    String cacheTo;

    @Option(names = "--manifest-format", defaultValue = "docker", description = "List format for several platforms:"
            + " docker (manifest list) or oci (image index) (default: ${DEFAULT-VALUE})")
    String manifestFormat;

    @Option(names = "--no-cache", description = "Do not use the build cache")
    boolean noCache;

    @Option(names = "--pull", description = "Always look for newer base images")
    boolean pull;

    @Option(names = "--network", description = "Network for RUN steps: default, host or none")
    String network;

    @Option(names = "--add-host", description = "Extra /etc/hosts entry HOST:IP (repeatable)")
    List<String> addHosts = new ArrayList<>();

    @Option(names = "--cache-from", description = "Image to take cache from (repeatable)")
    List<String> cacheFrom = new ArrayList<>();

    @Option(names = "--progress", defaultValue = "auto", description = "auto, plain, tty or json (default: ${DEFAULT-VALUE})")
    ProgressMode progress;

    @Option(names = "--history", description = "Append this build's metrics to a history file (JSON lines) for 'stats'")
    Path historyFile;

    @Option(names = "--metadata-file", description = "Write the result (image id, tags, metrics) as JSON to this file")
    Path metadataFile;

    @Option(names = "--secret", paramLabel = "SPEC", description = "Build secret for RUN --mount=type=secret:"
            + " id=ID,src=FILE or id=ID,env=VAR (also type=file|env forms; repeatable). Never on disk in the image,"
            + " masked in the output")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--ssh", paramLabel = "SPEC", description = "SSH for RUN --mount=type=ssh: default or ID (your"
            + " SSH_AUTH_SOCK agent), ID=KEYFILE (a private key) or ID=SOCKET (an agent's socket) (repeatable)")
    List<String> ssh = new ArrayList<>();

    @Option(names = "--ssh-passphrase-env", paramLabel = "VAR", description = "Environment variable holding the"
            + " passphrase of the --ssh key files")
    String sshPassphraseEnv;

    @Option(names = "--registry-auth", paramLabel = "HOST=USER", description = "Credentials for a registry the"
            + " build pulls from; the password comes from $" + SecretOptions.REGISTRY_PASSWORD_ENV
            + " or --registry-password-stdin, never from an argument (repeatable)")
    List<String> registryAuth = new ArrayList<>();

    @Option(names = "--registry-password-stdin", description = "Read the --registry-auth password from the first"
            + " line of standard input")
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
                summary.println("image: " + result.imageId());
                if (result.digest() != null) {
                    summary.println("pushed: " + result.tags() + " " + result.digest());
                    result.platforms().forEach(p -> summary.println("  " + p.platform() + ": " + p.reference() + " "
                            + p.digest()));
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

    BuildContext toContext() {
        BuildContext.Builder b = BuildContext.builder().contextDir(context).tags(tags)
                .buildArgs(KeyValues.parse("--build-arg", buildArgs, '='))
                .labels(KeyValues.parse("--label", labels, '='))
                .extraHosts(KeyValues.parse("--add-host", addHosts, ':'))
                .target(target).noCache(noCache).pull(pull).networkMode(network).cacheFrom(cacheFrom)
                .push(push).cacheTo(cacheTo).manifestFormat(manifestFormat(manifestFormat));
        if (dockerfile != null) {
            // Like docker build: -f is relative to the current directory, not the context.
            b.dockerfile(dockerfile.toAbsolutePath());
        }
        if (platform != null) {
            for (String p : platform.split(",")) {
                b.platform(Platform.parse("--platform", p));
            }
        }
        SecretOptions.secrets(secrets, System::getenv).forEach(b::secret);
        SecretOptions.sshKeys(ssh, sshPassphraseEnv, System::getenv).forEach(b::sshKey);
        SecretOptions.registryAuth(registryAuth, registryPasswordStdin, System.in, System::getenv)
                .forEach(b::registryAuth);
        return b.build();
    }

    static ManifestFormat manifestFormat(String v) {
        return switch (v == null ? "docker" : v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "docker" -> ManifestFormat.DOCKER;
            case "oci" -> ManifestFormat.OCI;
            default -> throw new InvalidBuildContextException("--manifest-format", "'" + v + "' is not a list format;"
                    + " use docker or oci");
        };
    }

    private void writeMetadata(Map<String, Object> m) throws IOException {
        if (metadataFile != null) {
            Files.writeString(metadataFile, Json.write(m) + "\n", StandardCharsets.UTF_8);
        }
    }

    static String oneLine(BuildMetrics m) {
        return String.format(java.util.Locale.ROOT,
                "%s in %.1fs, %d steps (%d cached, hit rate %.0f%%), %d layers, %.1f MB, context %.1f kB, backend %s",
                m.status(), m.duration().toMillis() / 1000.0, m.stepsTotal(), m.stepsCached(), m.cacheHitRate() * 100,
                m.layers(), m.imageSizeBytes() / 1e6, m.contextBytes() / 1e3, m.backend());
    }
}
