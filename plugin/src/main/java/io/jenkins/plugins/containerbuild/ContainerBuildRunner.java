package io.jenkins.plugins.containerbuild;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.containerbuild.agent.AgentEngines;
import io.jenkins.plugins.containerbuild.agent.AgentOutcome;
import io.jenkins.plugins.containerbuild.agent.BatchOnAgent;
import io.jenkins.plugins.containerbuild.agent.BuildOnAgent;
import io.jenkins.plugins.containerbuild.agent.PlainData;
import io.jenkins.plugins.containerbuild.agent.PruneOnAgent;
import io.jenkins.plugins.containerbuild.config.ContainerBuildConfiguration;
import io.jenkins.plugins.containerbuild.credentials.CredentialResolver;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.steps.BatchRequest;
import io.jenkins.plugins.containerbuild.engine.steps.BuildDefaults;
import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
import io.jenkins.plugins.containerbuild.engine.steps.PruneRequest;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import io.jenkins.plugins.containerbuild.engine.steps.SourceMetadata;
import io.jenkins.plugins.containerbuild.results.ContainerBuildAction;
import io.jenkins.plugins.containerbuild.results.QualityGateRunner;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What every step of this plugin does on the controller, shared by the Pipeline steps and the
 * freestyle builder: validate the arguments with the engine's request classes, resolve the
 * credentials they name, run the build on the workspace's agent, record the results on the run
 * and apply quality gates.
 *
 * <p>Arguments are plain maps in the Pipeline shape ({@code tags}, {@code secrets}, ...), read once into the
 * engine's {@link BuildSpec}, which then travels to the agent as it is.
 */
public final class ContainerBuildRunner {
    private final Run<?, ?> run;
    private final FilePath workspace;
    private final EnvVars env;
    private final TaskListener listener;
    private final Consumer<String> unstable;

    public ContainerBuildRunner(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener) {
        this(run, workspace, env, listener, message -> {});
    }

    /**
     * @param unstable told why, when a quality gate makes the run unstable: a Pipeline step marks its stage
     */
    public ContainerBuildRunner(
            Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener, Consumer<String> unstable) {
        this.run = run;
        this.workspace = workspace;
        this.env = env;
        this.listener = listener;
        this.unstable = unstable;
    }

    /** Runs one build ({@code containerBuild}); returns its result map. */
    public Map<String, Object> build(Map<String, Object> arguments) throws IOException, InterruptedException {
        // Tag rules read the run's environment (branch, tag, pull request, commit), here on the controller.
        BuildSpec spec = validate(() -> SourceMetadata.apply(
                BuildSpecArguments.fromArguments(defaults().applyTo(arguments)), env, Instant.now()));
        AgentOutcome outcome;
        ResolvedCredentials credentials = new CredentialResolver(run).resolve(spec);
        try {
            outcome = workspace.act(new BuildOnAgent(spec, credentials, listener, dockerEnv()));
        } finally {
            credentials.destroy();
        }

        ContainerBuildAction action = ContainerBuildAction.attach(run);
        action.add(AgentOutcome.records(List.of(outcome)));
        if (outcome.failed()) {
            throw new AbortException(outcome.error());
        }
        if (!spec.gates().isEmpty()) {
            QualityGateRunner.apply(run, action, spec.gates(), outcome.record(), listener, unstable);
        }
        return outcome.result();
    }

    /**
     * Runs several builds ({@code containerBatchBuild}); returns their result maps in order. When
     * any failed, throws an {@link AbortException} listing every build's outcome.
     */
    public List<Map<String, Object>> batch(Map<String, Object> arguments) throws IOException, InterruptedException {
        BatchRequest batch = validate(() -> SourceMetadata.apply(
                BatchRequest.fromArguments(defaults().applyToBatch(arguments)), env, Instant.now()));
        List<ResolvedCredentials> credentials = new ArrayList<>();
        List<AgentOutcome> outcomes;
        try {
            CredentialResolver resolver = new CredentialResolver(run);
            for (BuildSpec b : batch.builds()) {
                credentials.add(resolver.resolve(b));
            }
            outcomes = workspace.act(new BatchOnAgent(batch, credentials, listener, dockerEnv()));
        } finally {
            credentials.forEach(ResolvedCredentials::destroy);
        }

        ContainerBuildAction.attach(run).add(AgentOutcome.records(outcomes));
        List<Map<String, Object>> results = new ArrayList<>();
        boolean failed = outcomes.size() != batch.builds().size();
        StringBuilder report = new StringBuilder("containerBatchBuild: some builds failed:");
        for (int i = 0; i < outcomes.size(); i++) {
            AgentOutcome o = outcomes.get(i);
            String name = i < batch.builds().size() ? batch.builds().get(i).displayName() : "batch";
            report.append("\n  [").append(i).append("] ").append(name).append(": ");
            if (o.failed()) {
                failed = true;
                report.append(o.error());
                results.add(null);
            } else {
                report.append("SUCCESS ").append(o.result().get("imageId"));
                results.add(o.result());
            }
        }
        if (failed) {
            throw new AbortException(report.toString());
        }
        return results;
    }

    /** Prunes the agent daemon's build cache ({@code pruneBuildCache}); returns {@code [spaceReclaimed:, cachesDeleted:]}. */
    public Map<String, Object> prune(Map<String, Object> arguments) throws IOException, InterruptedException {
        Map<String, Object> withDefaults = validate(() -> defaults().applyToPrune(arguments));
        PruneRequest request = validate(() -> PruneRequest.fromArguments(withDefaults));
        ResolvedCredentials credentials = request.builderCredentialsId() == null
                ? ResolvedCredentials.none()
                : new CredentialResolver(run).resolveBuilderCertificate(request.builderCredentialsId());
        try {
            return PlainData.map(workspace.act(new PruneOnAgent(withDefaults, credentials, listener, dockerEnv())));
        } finally {
            credentials.destroy();
        }
    }

    /** The Docker variables of the step's environment, which choose the agent's daemon ({@link AgentEngines}). */
    private HashMap<String, String> dockerEnv() {
        return AgentEngines.dockerEnvironment(env);
    }

    /** This Jenkins's defaults ({@link ContainerBuildConfiguration}); checked when they were saved. */
    private static BuildDefaults defaults() {
        return ContainerBuildConfiguration.get().defaults();
    }

    /** Runs the engine's validation; an invalid argument becomes an {@link AbortException} naming it. */
    static <T> T validate(Supplier<T> parse) throws AbortException {
        try {
            return parse.get();
        } catch (InvalidBuildContextException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
