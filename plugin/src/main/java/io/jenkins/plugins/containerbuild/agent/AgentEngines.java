package io.jenkins.plugins.containerbuild.agent;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuilderEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.SourceInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the {@link BuildEngine} on the agent from the step's Docker environment
 * ({@code DOCKER_HOST}, {@code DOCKER_CERT_PATH}, {@code DOCKER_TLS_VERIFY}), so that
 * {@code withEnv(['DOCKER_HOST=...'])} or a node property picks the daemon. Without
 * {@code DOCKER_HOST} the engine uses the agent's local socket.
 */
public final class AgentEngines {
    /** The environment variables that choose the daemon; only these travel to the agent. */
    public static final String[] DOCKER_VARIABLES = {"DOCKER_HOST", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"};

    private AgentEngines() {}

    /**
     * The Docker variables of {@code env}, and those that name the run and its source for the provenance
     * ({@code BUILD_URL}, {@code GIT_URL}, {@code GIT_COMMIT}), in a serializable map.
     */
    public static HashMap<String, String> dockerEnvironment(Map<String, String> env) {
        HashMap<String, String> out = new HashMap<>();
        List<String> names = new ArrayList<>(List.of(DOCKER_VARIABLES));
        names.addAll(SourceInfo.VARIABLES);
        for (String name : names) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                out.put(name, v.trim());
            }
        }
        return out;
    }

    /**
     * An engine for the daemon named by {@code dockerEnv}, or for the standalone buildkitd {@code builder}.
     *
     * @param buildTimeout how long each build may take before the engine cancels it; null for no limit
     * @param builder      a standalone buildkitd (with its client certificate), or null for the daemon
     */
    public static BuildEngine create(
            Map<String, String> dockerEnv, Backend backend, Duration buildTimeout, BuilderEndpoint builder) {
        BuildEngine.Builder b = BuildEngine.builder().backend(backend == null ? Backend.AUTO : backend);
        if (builder != null) {
            b.builder(builder);
        }
        if (buildTimeout != null) {
            b.buildTimeout(buildTimeout);
        }
        String host = dockerEnv.get("DOCKER_HOST");
        if (host != null) {
            b.dockerHost(host);
        }
        String certs = dockerEnv.get("DOCKER_CERT_PATH");
        if (certs != null) {
            b.tlsCertDir(Path.of(certs));
        }
        return b.build();
    }
}
