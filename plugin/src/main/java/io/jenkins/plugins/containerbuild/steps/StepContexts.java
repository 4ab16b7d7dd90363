package io.jenkins.plugins.containerbuild.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/** The context every step of this plugin needs: a run, a workspace on a node, and its environment. */
final class StepContexts {
    private StepContexts() {}

    static Set<? extends Class<?>> required() {
        return Set.of(Run.class, FilePath.class, Launcher.class, TaskListener.class, EnvVars.class, FlowNode.class);
    }
}
