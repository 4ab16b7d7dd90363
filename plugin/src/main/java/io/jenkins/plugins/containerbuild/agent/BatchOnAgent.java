package io.jenkins.plugins.containerbuild.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.progress.PlainProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.steps.BatchRequest;
import io.jenkins.plugins.containerbuild.engine.steps.BuildRequest;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs a {@code containerBatchBuild} on the agent: all builds against one engine, at most
 * {@code maxParallel} at a time. Returns one {@link AgentOutcome} per build, in order.
 *
 * <p>Aborting the run interrupts this call; the engine is then closed, which drops its
 * connections to the daemon and so ends the builds still running there.
 */
public final class BatchOnAgent extends MasterToSlaveFileCallable<ArrayList<AgentOutcome>> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Object> arguments;
    private final CredentialMaterial credentials;
    private final TaskListener listener;
    private final HashMap<String, String> dockerEnv;

    /**
     * @param arguments   {@code builds}, {@code maxParallel}, {@code failFast} (plain JDK types, validated)
     * @param credentials the secret material of every build (zeroed on the agent when done)
     * @param listener    the build's listener (remotable)
     * @param dockerEnv   {@link AgentEngines#dockerEnvironment} of the step's environment
     */
    public BatchOnAgent(Map<String, Object> arguments, CredentialMaterial credentials, TaskListener listener,
            Map<String, String> dockerEnv) {
        this.arguments = new HashMap<>(PlainData.map(arguments));
        this.credentials = credentials;
        this.listener = listener;
        this.dockerEnv = new HashMap<>(dockerEnv);
    }

    @Override
    public ArrayList<AgentOutcome> invoke(File workspace, VirtualChannel channel)
            throws IOException, InterruptedException {
        PrintStream log = MaskingOutputStream.wrap(listener.getLogger(), credentials.valuesForMasking());
        ResolvedCredentials resolved = null;
        try {
            BatchRequest batch = BatchRequest.fromArguments(arguments);
            resolved = credentials.toResolved();
            Path ws = workspace.toPath();
            List<BuildContext> contexts = new ArrayList<>();
            for (BuildRequest b : batch.builds()) {
                contexts.add(b.toContext(ws, resolved));
            }
            Backend backend = batch.builds().isEmpty() ? Backend.AUTO : batch.builds().get(0).backendValue();
            BatchOptions options = BatchOptions.builder().maxParallel(batch.maxParallel())
                    .failFast(batch.failFast()).build();
            BuildEngine engine = AgentEngines.create(dockerEnv, backend);
            List<BatchOutcome> outcomes;
            try {
                CompletableFuture<List<BatchOutcome>> all = CompletableFuture.supplyAsync(
                        () -> engine.buildBatch(contexts, options, new PlainProgressPrinter(log, "")));
                outcomes = Await.result(all, null);
            } finally {
                // On an abort this drops the engine's connections, which ends the daemon's builds.
                engine.close();
            }
            return toOutcomes(batch, outcomes);
        } catch (InvalidBuildContextException | BuildException e) {
            ArrayList<AgentOutcome> out = new ArrayList<>();
            out.add(AgentOutcome.failure(e.getMessage(), null));
            return out;
        } finally {
            if (resolved != null) {
                resolved.destroy();
            }
            credentials.destroy();
            if (log != listener.getLogger()) {
                log.close();
            }
        }
    }

    private static ArrayList<AgentOutcome> toOutcomes(BatchRequest batch, List<BatchOutcome> outcomes) {
        ArrayList<AgentOutcome> out = new ArrayList<>();
        for (BatchOutcome o : outcomes) {
            if (o.status() == BuildStatus.SUCCESS && o.result() != null) {
                Map<String, Object> args = batch.builds().get(o.index()).toArguments();
                out.add(AgentOutcome.success(PlainData.map(BuildResultMaps.result(o.result())),
                        BuildRecord.of(o.result(), null, BuildOnAgent.BuildNames.platforms(args))));
            } else {
                out.add(AgentOutcome.failure(o.status() + ": " + o.error(), null));
            }
        }
        return out;
    }
}
