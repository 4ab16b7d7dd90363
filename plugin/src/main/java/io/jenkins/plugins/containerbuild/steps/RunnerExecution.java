package io.jenkins.plugins.containerbuild.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.containerbuild.ContainerBuildRunner;
import java.util.Map;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution of this plugin's steps: runs on a background thread (never on the CPS VM thread)
 * and hands the step's arguments to a {@link ContainerBuildRunner}.
 *
 * <p>{@link #stop(Throwable)} (the run was aborted) interrupts that thread; the interrupt reaches
 * the agent's call through remoting, where the wait on the engine's future cancels the daemon's
 * build. Not resumable across a controller restart (a build does not survive one either).
 *
 * @param <T> what the step returns to the script
 */
abstract class RunnerExecution<T> extends SynchronousNonBlockingStepExecution<T> {
    private static final long serialVersionUID = 1L;

    /** The step's arguments, plain JDK types. Transient: the execution does not resume after a restart. */
    private final transient Map<String, Object> arguments;

    RunnerExecution(StepContext context, Map<String, Object> arguments) {
        super(context);
        this.arguments = arguments;
    }

    @Override
    protected final T run() throws Exception {
        StepContext c = getContext();
        FlowNode node = c.get(FlowNode.class);
        ContainerBuildRunner runner = new ContainerBuildRunner(
                c.get(Run.class), c.get(FilePath.class), c.get(EnvVars.class), c.get(TaskListener.class), message -> {
                    // Marks the step's stage unstable in the Pipeline views, not only the run.
                    if (node != null) {
                        node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(message));
                    }
                });
        return run(runner, arguments);
    }

    /** Does the step's work. */
    protected abstract T run(ContainerBuildRunner runner, Map<String, Object> arguments) throws Exception;

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        TaskListener listener = getContext().get(TaskListener.class);
        if (listener != null) {
            listener.getLogger().println("Cancelling the container build: " + cause);
        }
        super.stop(cause);
    }
}
