package io.jenkins.plugins.containerbuild.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.mask.MaskingOutputStream;
import io.jenkins.plugins.containerbuild.engine.progress.PlainProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.steps.BuildRequest;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one {@code containerBuild} on the agent that holds the workspace: rebuilds the
 * {@link BuildRequest} from its (already validated) arguments, builds against the agent's daemon
 * and streams progress into the build log with secret values masked.
 *
 * <p>Aborting the run interrupts this call (remoting forwards the interrupt to the agent thread);
 * the wait on {@link BuildEngine#buildAsync} then cancels the future, which cancels the daemon's build.
 * The step's {@code timeout} is the engine's build timeout, so a timed-out build is cancelled by the engine.
 */
public final class BuildOnAgent extends MasterToSlaveFileCallable<AgentOutcome> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Object> arguments;
    private final ResolvedCredentials credentials;
    private final TaskListener listener;
    private final HashMap<String, String> dockerEnv;

    /**
     * @param arguments   the request's arguments ({@link BuildRequest#toArguments()}, plain JDK types)
     * @param credentials the resolved secret material (destroyed on the agent when the build ends)
     * @param listener    the build's listener (remotable)
     * @param dockerEnv   {@link AgentEngines#dockerEnvironment} of the step's environment
     */
    public BuildOnAgent(Map<String, Object> arguments, ResolvedCredentials credentials, TaskListener listener,
            Map<String, String> dockerEnv) {
        this.arguments = new HashMap<>(PlainData.map(arguments));
        this.credentials = credentials;
        this.listener = listener;
        this.dockerEnv = new HashMap<>(dockerEnv);
    }

    @Override
    public AgentOutcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        PrintStream log = MaskingOutputStream.wrap(listener.getLogger(), credentials.masker());
        BuildRequest request = null;
        try {
            request = BuildRequest.fromArguments(arguments);
            BuildContext context = request.toContext(workspace.toPath(), credentials);
            try (BuildEngine engine = AgentEngines.create(dockerEnv, request.backendValue(),
                    request.timeoutDuration())) {
                CompletableFuture<BuildResult> future = engine.buildAsync(context, new PlainProgressPrinter(log, ""));
                BuildResult result = Await.result(future);
                // The registry digest when the build pushed (null otherwise).
                String digest = result.digest();
                Map<String, Object> map = BuildResultMaps.result(result, digest, request.platforms());
                BuildRecord record = BuildRecord.of(request.name(), result, digest, request.platforms());
                return AgentOutcome.success(PlainData.map(map), record);
            }
        } catch (BuildFailedException e) {
            BuildRecord record = e.metrics() == null || request == null ? null
                    : BuildRecord.failed(request.name(), request.tags(), e.metrics());
            return AgentOutcome.failure(e.getMessage(), record);
        } catch (InvalidBuildContextException | BuildException e) {
            return AgentOutcome.failure(e.getMessage(), null);
        } finally {
            credentials.destroy();
            if (log != listener.getLogger()) {
                log.close();
            }
        }
    }
}
