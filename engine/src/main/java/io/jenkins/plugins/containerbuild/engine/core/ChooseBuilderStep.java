package io.jenkins.plugins.containerbuild.engine.core;

/** Picks the builder: the configured backend, or what AUTO stands for on this daemon. */
final class ChooseBuilderStep implements BuildStep {
    private final BuilderChoice choice;

    ChooseBuilderStep(BuilderChoice choice) {
        this.choice = choice;
    }

    @Override
    public void run(BuildState s) {
        s.backend = choice.resolve();
        s.builder = choice.builderFor(s.backend, s.ctx);
    }
}
