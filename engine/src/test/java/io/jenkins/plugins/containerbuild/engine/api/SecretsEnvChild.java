package io.jenkins.plugins.containerbuild.engine.api;

import java.nio.file.Path;

/**
 * TEST-ONLY: run in a child JVM by {@link SecretsEndToEndTest} so that {@link SecretSource#fromEnv} reads a variable
 * the parent set for this process only. Arguments: context directory, tag, history file, variable name. Prints
 * every progress event as {@code EVENT <vertex> | <message>} and finally {@code IMAGE <id>}; a failed build
 * prints {@code FAILED <message>} and exits 1.
 */
public final class SecretsEnvChild {
    private SecretsEnvChild() {}

    public static void main(String[] args) {
        BuildContext ctx = BuildContext.builder()
                .contextDir(Path.of(args[0]))
                .tag(args[1])
                .noCache(true)
                .secret("tok", SecretSource.fromEnv(args[3]))
                .build();
        try (BuildEngine engine = BuildEngine.builder()
                .endpoint(DaemonEndpoint.fromEnvironment(System.getenv()))
                .backend(Backend.BUILDKIT)
                .historyFile(Path.of(args[2]))
                .build()) {
            BuildResult r = engine.build(ctx, p -> System.out.println("EVENT " + p.vertexName() + " | " + p.message()));
            System.out.println("IMAGE " + r.imageId());
        } catch (BuildException | InvalidBuildContextException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
        }
    }
}
