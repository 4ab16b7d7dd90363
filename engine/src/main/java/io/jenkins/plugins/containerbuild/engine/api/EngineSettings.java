package io.jenkins.plugins.containerbuild.engine.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link BuildEngine} is set up; made by {@link BuildEngine.Builder}, which checks every value.
 *
 * @param endpoint          the daemon
 * @param backend           the builder to use, {@link Backend#AUTO} to ask the daemon
 * @param connectTimeout    for connections and the session's upgrade
 * @param readIdleTimeout   how long a response may stay silent
 * @param buildTimeout      each build's time limit, or null for none
 * @param maxParallelBuilds how many {@link BuildEngine#buildAsync} builds run at once
 * @param historySize       how many finished builds the history keeps
 * @param historyFile       the JSON-lines history file, or null for memory only
 * @param contextTransport  how the context reaches a BuildKit daemon
 * @param builder           a standalone buildkitd to use instead of the daemon's builder, or null
 * @param nodeId            names this client to the daemon's file sync cache; null for one derived from the host
 *                          name and user
 */
public record EngineSettings(
        DaemonEndpoint endpoint,
        Backend backend,
        Duration connectTimeout,
        Duration readIdleTimeout,
        Duration buildTimeout,
        int maxParallelBuilds,
        int historySize,
        Path historyFile,
        ContextTransport contextTransport,
        BuilderEndpoint builder,
        String nodeId) {
    public EngineSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readIdleTimeout, "readIdleTimeout");
        Objects.requireNonNull(contextTransport, "contextTransport");
    }
}
