package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.ContextTransport;
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

    BuildEngine engine() {
        return engine(null);
    }

    /** An engine whose history is loaded from and appended to {@code historyFile} (may be null). */
    BuildEngine engine(Path historyFile) {
        BuildEngine.Builder b = BuildEngine.builder()
                .backend(Backend.parse("--backend", backend))
                .historyFile(historyFile)
                .contextTransport(ContextTransport.parse("--context-transport", contextTransport));
        if (host != null) {
            b.dockerHost(host);
        }
        if (tlsCertDir != null) {
            b.tlsCertDir(tlsCertDir);
        }
        return b.build();
    }
}
