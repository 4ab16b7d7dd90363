package io.jenkins.plugins.containerbuild.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.SourceInfo;
import io.jenkins.plugins.containerbuild.engine.mask.MaskingOutputStream;
import io.jenkins.plugins.containerbuild.engine.mask.SecretMasker;
import io.jenkins.plugins.containerbuild.engine.progress.PlainProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.steps.BatchRequest;
import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
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
 * <p>Each build has its own {@link ResolvedCredentials} (two builds may use the same secret id for
 * different credentials). {@link BatchRequest} has checked that every build asks for the same builder, backend
 * and timeout (one engine, one {@link BatchOptions}). Aborting the run interrupts this call; the engine is
 * then closed, which cancels the builds still running on the daemon.
 */
public final class BatchOnAgent extends MasterToSlaveFileCallable<ArrayList<AgentOutcome>> {
    private static final long serialVersionUID = 1L;

    private final BatchRequest batch;
    private final ArrayList<ResolvedCredentials> credentials;
    private final TaskListener listener;
    private final HashMap<String, String> dockerEnv;

    /**
     * @param batch       the builds and batch options, read and checked on the controller
     * @param credentials the secret material of each build, in the order of {@code builds} (destroyed on the
     *                    agent when done)
     * @param listener    the build's listener (remotable)
     * @param dockerEnv   {@link AgentEngines#dockerEnvironment} of the step's environment
     */
    public BatchOnAgent(
            BatchRequest batch,
            List<ResolvedCredentials> credentials,
            TaskListener listener,
            Map<String, String> dockerEnv) {
        this.batch = batch;
        this.credentials = new ArrayList<>(credentials);
        this.listener = listener;
        this.dockerEnv = new HashMap<>(dockerEnv);
    }

    @Override
    public ArrayList<AgentOutcome> invoke(File workspace, VirtualChannel channel)
            throws IOException, InterruptedException {
        SecretMasker masker = ResolvedCredentials.maskerOf(credentials);
        PrintStream log = MaskingOutputStream.wrap(listener.getLogger(), masker);
        try {
            Path ws = workspace.toPath();
            List<BuildContext> contexts = new ArrayList<>();
            for (int i = 0; i < batch.builds().size(); i++) {
                BuildContext made = BuildSpecArguments.toContext(
                        batch.builds().get(i), ws, i < credentials.size() ? credentials.get(i) : null);
                contexts.add(SourceInfo.fromEnvironment(dockerEnv)
                        .map(info -> made.toBuilder().sourceInfo(info).build())
                        .orElse(made));
            }
            BuildSpec first = batch.builds().get(0);
            BatchOptions options = BatchOptions.builder()
                    .maxParallel(batch.maxParallel())
                    .failFast(batch.failFast())
                    .timeout(first.timeout())
                    .build();
            BuildEngine engine = AgentEngines.create(
                    dockerEnv,
                    first.backend(),
                    null,
                    BuildSpecArguments.builder(first, credentials.isEmpty() ? null : credentials.get(0)));
            List<BatchOutcome> outcomes;
            try {
                CompletableFuture<List<BatchOutcome>> all = CompletableFuture.supplyAsync(
                        () -> engine.buildBatch(contexts, options, new PlainProgressPrinter(log, "")), r -> {
                            Thread t = new Thread(r, "container-build-batch");
                            t.setDaemon(true);
                            t.start();
                        });
                outcomes = Await.result(all);
            } finally {
                // On an abort this cancels the builds still running on the daemon.
                engine.close();
            }
            return toOutcomes(batch, outcomes, masker);
        } catch (InvalidBuildContextException | BuildException e) {
            ArrayList<AgentOutcome> out = new ArrayList<>();
            out.add(AgentOutcome.failure(masker.mask(e.getMessage()), null));
            return out;
        } finally {
            credentials.forEach(ResolvedCredentials::destroy);
            if (log != listener.getLogger()) {
                log.close();
            }
        }
    }

    /** The outcomes as they travel to the controller; failures masked like the console. */
    private static ArrayList<AgentOutcome> toOutcomes(
            BatchRequest batch, List<BatchOutcome> outcomes, SecretMasker masker) {
        ArrayList<AgentOutcome> out = new ArrayList<>();
        for (BatchOutcome o : outcomes) {
            BuildSpec b = batch.builds().get(o.index());
            if (o.status() == BuildStatus.SUCCESS && o.result() != null) {
                Map<String, Object> map =
                        BuildResultMaps.result(o.result(), o.result().digest(), b.platforms());
                out.add(AgentOutcome.success(
                        PlainData.map(map),
                        BuildRecord.of(b.name(), o.result(), o.result().digest(), b.platforms())));
            } else {
                out.add(AgentOutcome.failure(masker.mask(o.status() + ": " + o.error()), null));
            }
        }
        return out;
    }
}
