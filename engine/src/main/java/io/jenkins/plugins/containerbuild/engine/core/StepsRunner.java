package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import java.util.List;

/** Runs a build's steps in order, then releases what they opened, whatever happened. */
final class StepsRunner {
    private final List<BuildStep> steps;

    StepsRunner(List<BuildStep> steps) {
        this.steps = List.copyOf(steps);
    }

    BuildResult run(BuildState state) {
        try (state) {
            for (BuildStep step : steps) {
                step.run(state);
            }
            return state.result;
        }
    }
}
