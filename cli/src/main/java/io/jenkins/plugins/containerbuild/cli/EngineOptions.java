package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.ContextTransport;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that talks to the daemon shares. */
final class EngineOptions {
    @Option(
            names = {"-H", "--host"},
            description = "Daemon address: dockerd, or Podman's service, e.g. unix:///run/container-build-podman.sock"
                    + " (default: $DOCKER_HOST or unix:///var/run/docker.sock)")
    String host;

    @Option(names = "--tls-cert-dir", description = "Directory with ca.pem, cert.pem, key.pem for a TLS daemon")
    Path tlsCertDir;

    @Option(
            names = "--backend",
            defaultValue = "auto",
            description = "auto, buildkit, classic or podman; auto picks podman when the host is Podman's service"
                    + " (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(
            names = "--context-transport",
            defaultValue = "auto",
            description = "How the context reaches BuildKit:"
                    + " auto (a small context as a tar, a larger one over the session's file sync, which re-sends only changed"
                    + " files), tar or file-sync (default: ${DEFAULT-VALUE})")
    String contextTransport;

    @Option(
            names = "--builder",
            paramLabel = "ADDRESS",
            description = "The BuildKit builder: docker (the daemon's own, default) or a standalone buildkitd at"
                    + " unix:///path/buildkitd.sock or tcp://host:port (default: $BUILDKIT_HOST, else docker)."
                    + " A build on a buildkitd keeps its image there (--push pushes it)")
    String builder;

    @Option(
            names = "--builder-tls-dir",
            paramLabel = "DIR",
            description = "Directory with ca.pem, cert.pem, key.pem for a tcp:// buildkitd that requires mutual TLS")
    Path builderTlsDir;

    /** The standalone buildkitd chosen by --builder or BUILDKIT_HOST, or null for the Docker daemon's builder. */
    BuilderEndpoint builderEndpoint() {
        String address = builder != null ? builder : System.getenv(BuilderEndpoint.ENVIRONMENT_VARIABLE);
        if (address == null || address.isBlank() || address.trim().equals("docker")) {
            if (builderTlsDir != null) {
                throw new InvalidBuildContextException(
                        "--builder-tls-dir", "is for a tcp:// buildkitd; give --builder tcp://host:port too");
            }
            return null;
        }
        return BuilderEndpoint.of(address, builderTlsDir);
    }

    BuildEngine engine() {
        return engine(null);
    }

    /** An engine whose history is loaded from and appended to {@code historyFile} (may be null). */
    BuildEngine engine(Path historyFile) {
        BuildEngine.Builder b = BuildEngine.builder()
                .backend(Backend.parse("--backend", backend))
                .historyFile(historyFile)
                .contextTransport(ContextTransport.parse("--context-transport", contextTransport))
                .builder(builderEndpoint());
        if (host != null) {
            b.dockerHost(host);
        }
        if (tlsCertDir != null) {
            b.tlsCertDir(tlsCertDir);
        }
        return b.build();
    }
}
