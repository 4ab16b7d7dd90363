package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileProblem.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a Dockerfile without a daemon, against what the daemon's built-in Dockerfile frontend
 * (dockerd 20.10, BuildKit v0.8) accepts.
 *
 * <p>The contract: an {@link Severity#ERROR} is reported only for Dockerfiles that frontend
 * refuses; a Dockerfile it builds gets at most warnings. Values the daemon checks only in the
 * stages a build runs (ports, mount targets) are errors only in those stages.
 */
public final class DockerfileValidator {
    private DockerfileValidator() {
    }

    /**
     * Validates a Dockerfile on disk.
     *
     * @param dockerfile the Dockerfile (read as UTF-8)
     * @param target     the stage to build, or {@code null} for the last stage
     * @return the problems ordered by line and column; empty when none
     * @throws IOException when the file can not be read
     */
    public static List<DockerfileProblem> validate(Path dockerfile, String target) throws IOException {
        Objects.requireNonNull(dockerfile, "dockerfile");
        return validate(new String(Files.readAllBytes(dockerfile), StandardCharsets.UTF_8), target);
    }

    /**
     * Validates Dockerfile text.
     *
     * @param content the Dockerfile
     * @param target  the stage to build, or {@code null} (or blank) for the last stage
     * @return the problems ordered by line and column; empty when none
     */
    public static List<DockerfileProblem> validate(String content, String target) {
        DockerfileModel model = DockerfileModel.parse(content);
        Problems p = new Problems();
        model.directiveProblems().forEach(p::add);
        model.syntax().ifPresent(image -> p.add(Severity.WARNING, model.syntaxLine(), 1, "the '# syntax="
                + image + "' directive makes the daemon pull the frontend image " + image + ", which fails without "
                + "registry access; remove the line to use the daemon's built-in frontend"));
        if (model.instructions().isEmpty()) {
            p.add(Severity.ERROR, 0, 0, "the Dockerfile has no instructions: start it with FROM <image>");
            return p.sorted();
        }
        for (Instruction in : model.beforeFirstFrom()) {
            if (!in.isKnown()) {
                unknown(in, p);
            } else if (in.keyword().equals("ARG")) {
                InstructionChecks.check(in, p, true);
            } else {
                p.error(in, in.keyword() + " comes before the first FROM, where only ARG is allowed; move it after "
                        + "a FROM line");
            }
        }
        if (model.stages().isEmpty()) {
            p.add(Severity.ERROR, 0, 0, "the Dockerfile has no FROM instruction: add FROM <image> after the ARG lines");
            return p.sorted();
        }
        int root = model.stages().size() - 1;
        if (target != null && !target.isBlank()) {
            Optional<Stage> stage = model.stage(target);
            if (stage.isPresent()) {
                root = stage.get().index();
            } else {
                root = -1;
                List<String> names = DockerfileModel.stageNames(content);
                p.add(Severity.ERROR, 0, 0, "the build target '" + target + "' names no stage; "
                        + (names.isEmpty() ? "name a stage with FROM <image> AS " + target
                        : "use one of: " + String.join(", ", names)));
            }
        }
        Set<Integer> reachable = StageChecks.reachable(model, root);
        for (Stage stage : model.stages()) {
            boolean built = reachable.contains(stage.index());
            InstructionChecks.check(stage.from(), p, built);
            for (Instruction in : stage.instructions()) {
                if (!in.isKnown()) {
                    unknown(in, p);
                    continue;
                }
                if (in.heredocWord() != null) {
                    p.error(in, "heredoc (<<" + in.heredocWord() + ") is not supported by the daemon's built-in "
                            + "Dockerfile frontend (BuildKit v0.8), which reads the body as instructions; use one "
                            + in.keyword() + " with && and line continuations, or COPY a script from the context");
                }
                InstructionChecks.check(in, p, built);
                if (in.keyword().equals("COPY")) {
                    StageChecks.checkCopyFrom(model, stage, in, p);
                }
            }
        }
        StageChecks.checkDuplicateNames(model, p);
        StageChecks.checkFromVariables(model, p);
        return p.sorted();
    }

    /**
     * The names of the named build stages in order; see {@link DockerfileModel#stageNames(String)}.
     *
     * @param content the Dockerfile
     * @return the stage names as written after {@code AS}
     */
    public static List<String> stageNames(String content) {
        return DockerfileModel.stageNames(content);
    }

    private static void unknown(Instruction in, Problems p) {
        p.error(in, "unknown instruction " + in.text().split("\\s", 2)[0] + ": check the spelling (instructions are "
                + Instruction.KEYWORDS.stream().sorted().collect(Collectors.joining(", ")) + "), or end the previous "
                + "line with '" + in.escape() + "' if this line continues it");
    }
}
