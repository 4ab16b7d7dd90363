package io.jenkins.plugins.containerbuild.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildFailedException;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.progress.PlainProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.BuildResultMaps;
import io.jenkins.plugins.containerbuild.engine.steps.BuildRequest;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
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
 */
public final class BuildOnAgent extends MasterToSlaveFileCallable<AgentOutcome> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, Object> arguments;
    private final CredentialMaterial credentials;
    private final TaskListener listener;
    private final HashMap<String, String> dockerEnv;

    /**
     * @param arguments   the request's arguments ({@link BuildRequest#toArguments()}, plain JDK types)
     * @param credentials the resolved secret material (zeroed on the agent when the build ends)
     * @param listener    the build's listener (remotable)
     * @param dockerEnv   {@link AgentEngines#dockerEnvironment} of the step's environment
     */
    public BuildOnAgent(Map<String, Object> arguments, CredentialMaterial credentials, TaskListener listener,
            Map<String, String> dockerEnv) {
        this.arguments = new HashMap<>(PlainData.map(arguments));
        this.credentials = credentials;
        this.listener = listener;
        this.dockerEnv = new HashMap<>(dockerEnv);
    }

    @Override
    public AgentOutcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        PrintStream log = MaskingOutputStream.wrap(listener.getLogger(), credentials.valuesForMasking());
        ResolvedCredentials resolved = null;
        String name = BuildNames.of(arguments);
        try {
            BuildRequest request = BuildRequest.fromArguments(arguments);
            resolved = credentials.toResolved();
            BuildContext context = request.toContext(workspace.toPath(), resolved);
            try (BuildEngine engine = AgentEngines.create(dockerEnv, request.backendValue())) {
                CompletableFuture<BuildResult> future = engine.buildAsync(context, new PlainProgressPrinter(log, ""));
                BuildResult result = Await.result(future, request.timeoutDuration());
                Map<String, Object> map = PlainData.map(BuildResultMaps.result(result));
                Object digest = map.get("digest");
                BuildRecord record = BuildRecord.of(result, digest == null ? null : digest.toString(),
                        BuildNames.platforms(arguments));
                return AgentOutcome.success(map, record);
            }
        } catch (BuildFailedException e) {
            BuildRecord record = e.metrics() == null ? null
                    : BuildRecord.failed(name, BuildNames.tags(arguments), e.metrics());
            return AgentOutcome.failure(e.getMessage(), record);
        } catch (InvalidBuildContextException | BuildException e) {
            return AgentOutcome.failure(e.getMessage(), null);
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

    /** Names, tags and platforms read from a request's argument map. */
    public static final class BuildNames {
        private BuildNames() {
        }

        public static String of(Map<String, Object> args) {
            Object name = args.get("name");
            if (name != null) {
                return name.toString();
            }
            List<String> tags = tags(args);
            return tags.isEmpty() ? "image" : tags.get(0);
        }

        public static List<String> tags(Map<String, Object> args) {
            return strings(args.get("tags"));
        }

        public static List<String> platforms(Map<String, Object> args) {
            return strings(args.get("platforms"));
        }

        private static List<String> strings(Object o) {
            if (o instanceof List<?> l) {
                return l.stream().map(String::valueOf).toList();
            }
            return o == null ? List.of() : List.of(o.toString());
        }
    }
}
