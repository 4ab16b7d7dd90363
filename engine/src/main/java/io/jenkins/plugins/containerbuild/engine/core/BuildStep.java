package io.jenkins.plugins.containerbuild.engine.core;

/**
 * One small step of a build: it reads what earlier steps decided in the {@link BuildState} and records its own
 * decision there. A step that refuses the build throws; the {@link StepsRunner} then releases what was opened.
 */
interface BuildStep {
    void run(BuildState state);

    /** Called on every step, in order, when a step threw {@code failure}; most steps have nothing to add. */
    default void failed(BuildState state, RuntimeException failure) {}
}
