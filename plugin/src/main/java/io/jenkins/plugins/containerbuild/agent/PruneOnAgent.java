package io.jenkins.plugins.containerbuild.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.PruneResult;
import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
import io.jenkins.plugins.containerbuild.engine.steps.PruneRequest;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs {@code pruneBuildCache} against the agent's daemon and returns
 * {@code [spaceReclaimed: long, cachesDeleted: [ids]]}. Engine errors are thrown as
 * {@link IOException}s carrying the engine's message.
 */
public final class PruneOnAgent extends MasterToSlaveFileCallable<HashMap<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Object> arguments;
    private final ResolvedCredentials credentials;
    private final TaskListener listener;
    private final HashMap<String, String> dockerEnv;

    /**
     * @param arguments   {@code all}, {@code filters}, {@code keepStorage}, {@code builder}... (plain JDK types)
     * @param credentials the builder's client certificate when {@code builderCredentialsId} is given (destroyed on
     *                    the agent when done)
     * @param listener    the build's listener (remotable)
     * @param dockerEnv   {@link AgentEngines#dockerEnvironment} of the step's environment
     */
    public PruneOnAgent(
            Map<String, Object> arguments,
            ResolvedCredentials credentials,
            TaskListener listener,
            Map<String, String> dockerEnv) {
        this.arguments = new HashMap<>(PlainData.map(arguments));
        this.credentials = credentials;
        this.listener = listener;
        this.dockerEnv = new HashMap<>(dockerEnv);
    }

    @Override
    public HashMap<String, Object> invoke(File workspace, VirtualChannel channel) throws IOException {
        try {
            PruneRequest request = PruneRequest.fromArguments(arguments);
            PruneOptions options = PruneOptions.builder()
                    .all(request.all())
                    .filters(request.filters())
                    .keepStorageBytes(request.keepStorageBytes())
                    .build();
            try (BuildEngine engine = AgentEngines.create(
                    dockerEnv,
                    Backend.AUTO,
                    null,
                    BuildSpecArguments.builder(request.builder(), request.builderCredentialsId(), credentials))) {
                PruneResult result = engine.pruneBuildCache(options);
                listener.getLogger()
                        .println("Build cache pruned: " + result.cachesDeleted().size() + " cache records, "
                                + result.spaceReclaimed() + " bytes reclaimed");
                HashMap<String, Object> out = new LinkedHashMap<>();
                out.put("spaceReclaimed", result.spaceReclaimed());
                out.put("cachesDeleted", new ArrayList<Object>(result.cachesDeleted()));
                return out;
            }
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage());
        } finally {
            credentials.destroy();
        }
    }
}
