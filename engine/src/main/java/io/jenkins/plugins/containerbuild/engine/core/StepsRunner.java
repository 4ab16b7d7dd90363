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
            try {
                for (BuildStep step : steps) {
                    step.run(state);
                }
            } catch (RuntimeException e) {
                for (BuildStep step : steps) {
                    step.failed(state, e);
                }
                throw e;
            }
            return state.result;
        }
    }
}
