package io.jenkins.plugins.containerbuild.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.SourceInfo;
import io.jenkins.plugins.containerbuild.engine.mask.MaskingOutputStream;
import io.jenkins.plugins.containerbuild.engine.mask.SecretMasker;
import io.jenkins.plugins.containerbuild.engine.progress.PlainProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one {@code containerBuild} on the agent that holds the workspace: makes the build context of the
 * {@link BuildSpec} read and checked on the controller, builds against the agent's daemon and streams progress
 * into the build log with secret values masked.
 *
 * <p>Aborting the run interrupts this call (remoting forwards the interrupt to the agent thread);
 * the wait on {@link BuildEngine#buildAsync} then cancels the future, which cancels the daemon's build.
 * The step's {@code timeout} is the engine's build timeout, so a timed-out build is cancelled by the engine.
 */
public final class BuildOnAgent extends MasterToSlaveFileCallable<AgentOutcome> {
    private static final long serialVersionUID = 1L;

    private final BuildSpec spec;
    private final ResolvedCredentials credentials;
    private final TaskListener listener;
    private final HashMap<String, String> dockerEnv;

    /**
     * @param spec        the build, read and checked on the controller
     * @param credentials the resolved secret material (destroyed on the agent when the build ends)
     * @param listener    the build's listener (remotable)
     * @param dockerEnv   {@link AgentEngines#dockerEnvironment} of the step's environment
     */
    public BuildOnAgent(
            BuildSpec spec, ResolvedCredentials credentials, TaskListener listener, Map<String, String> dockerEnv) {
        this.spec = spec;
        this.credentials = credentials;
        this.listener = listener;
        this.dockerEnv = new HashMap<>(dockerEnv);
    }

    @Override
    public AgentOutcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        SecretMasker masker = credentials.masker();
        PrintStream log = MaskingOutputStream.wrap(listener.getLogger(), masker);
        try {
            BuildContext made = BuildSpecArguments.toContext(spec, workspace.toPath(), credentials);
            // The provenance names the run and the source revision (BUILD_URL, GIT_URL, GIT_COMMIT).
            BuildContext context = SourceInfo.fromEnvironment(dockerEnv)
                    .map(info -> made.toBuilder().sourceInfo(info).build())
                    .orElse(made);
            try (BuildEngine engine = AgentEngines.create(
                    dockerEnv, spec.backend(), spec.timeout(), BuildSpecArguments.builder(spec, credentials))) {
                CompletableFuture<BuildResult> future = engine.buildAsync(context, new PlainProgressPrinter(log, ""));
                BuildResult result = Await.result(future);
                // The registry digest when the build pushed (null otherwise).
                String digest = result.digest();
                Map<String, Object> map = BuildResultMaps.result(result, digest, spec.platforms());
                BuildRecord record = BuildRecord.of(spec.name(), result, digest, spec.platforms());
                return AgentOutcome.success(PlainData.map(map), record);
            }
        } catch (BuildFailedException e) {
            // The failure travels to the controller's log and the run's page: masked like the console.
            BuildRecord record =
                    e.metrics() == null ? null : BuildRecord.failed(spec.name(), spec.tags(), masker.mask(e.metrics()));
            return AgentOutcome.failure(masker.mask(e.getMessage()), record);
        } catch (InvalidBuildContextException | BuildException e) {
            return AgentOutcome.failure(masker.mask(e.getMessage()), null);
        } finally {
            credentials.destroy();
            if (log != listener.getLogger()) {
                log.close();
            }
        }
    }
}
