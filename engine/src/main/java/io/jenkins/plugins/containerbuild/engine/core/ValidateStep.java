package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileValidator;
import java.io.IOException;
import java.util.List;

/**
 * Refuses a Dockerfile with errors, checked against the frontend of the chosen builder, and reports its warnings as
 * progress; then lets the builder refuse what it cannot do. Nothing has reached the daemon yet.
 */
final class ValidateStep implements BuildStep {
    private final BuilderChoice choice;

    ValidateStep(BuilderChoice choice) {
        this.choice = choice;
    }

    @Override
    public void run(BuildState s) {
        List<DockerfileProblem> problems;
        try {
            problems = DockerfileValidator.validate(
                    s.ctx.dockerfile(), s.ctx.target().orElse(null), choice.frontendFor(s.backend));
        } catch (IOException e) {
            throw new InvalidBuildContextException(
                    "dockerfile", "cannot read " + s.ctx.dockerfile() + ": " + e.getMessage());
        }
        StringBuilder errors = new StringBuilder();
        for (DockerfileProblem p : problems) {
            String where = s.ctx.dockerfile().getFileName() + (p.line() > 0 ? ":" + p.line() + ":" + p.column() : "");
            if (p.isError()) {
                errors.append("\n  ").append(where).append(": ").append(p.message());
            } else {
                s.out.onProgress(new BuildProgress(
                        s.buildId, BuildProgress.Kind.INFO, 0, 0, 0, "", "warning: " + where + ": " + p.message()));
            }
        }
        if (errors.length() > 0) {
            throw new InvalidBuildContextException(
                    "dockerfile", s.ctx.dockerfile() + " has errors the daemon would refuse:" + errors);
        }
        OutputDestinations.check(s.ctx.outputs());
        s.builder.refuseUnsupported(s.ctx);
    }
}
