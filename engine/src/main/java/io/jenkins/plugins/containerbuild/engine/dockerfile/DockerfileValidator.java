package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity;
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
 * Checks a Dockerfile without a daemon, against what a given Dockerfile {@link Frontend} accepts: the one
 * built into the daemon that will build it (its BuildKit version decides which newer features exist), by
 * default the oldest supported (dockerd 20.10, BuildKit v0.8). A {@code # syntax=} directive names an
 * external frontend: then only what every frontend agrees on is checked.
 *
 * <p>The contract: an {@link Severity#ERROR} is reported only for Dockerfiles that frontend
 * refuses; a Dockerfile it builds gets at most warnings. Values the daemon checks only in the
 * stages a build runs (ports, mount targets) are errors only in those stages.
 */
public final class DockerfileValidator {
    private DockerfileValidator() {}

    /**
     * Validates a Dockerfile on disk.
     *
     * @param dockerfile the Dockerfile (read as UTF-8)
     * @param target     the stage to build, or {@code null} for the last stage
     * @return the problems ordered by line and column; empty when none
     * @throws IOException when the file can not be read
     */
    public static List<DockerfileProblem> validate(Path dockerfile, String target) throws IOException {
        return validate(dockerfile, target, Frontend.DOCKERD_20_10);
    }

    /**
     * Validates a Dockerfile on disk for the given frontend.
     *
     * @param dockerfile the Dockerfile (read as UTF-8)
     * @param target     the stage to build, or {@code null} for the last stage
     * @param frontend   the frontend built into the daemon that will build it
     * @return the problems ordered by line and column; empty when none
     * @throws IOException when the file can not be read
     */
    public static List<DockerfileProblem> validate(Path dockerfile, String target, Frontend frontend)
            throws IOException {
        Objects.requireNonNull(dockerfile, "dockerfile");
        return validate(new String(Files.readAllBytes(dockerfile), StandardCharsets.UTF_8), target, frontend);
    }

    /**
     * Validates Dockerfile text.
     *
     * @param content the Dockerfile
     * @param target  the stage to build, or {@code null} (or blank) for the last stage
     * @return the problems ordered by line and column; empty when none
     */
    public static List<DockerfileProblem> validate(String content, String target) {
        return validate(content, target, Frontend.DOCKERD_20_10);
    }

    /**
     * Validates Dockerfile text for the given frontend.
     *
     * @param content  the Dockerfile
     * @param target   the stage to build, or {@code null} (or blank) for the last stage
     * @param builtIn  the frontend built into the daemon that will build it; a {@code # syntax=} directive
     *                 replaces it with an external one
     * @return the problems ordered by line and column; empty when none
     */
    public static List<DockerfileProblem> validate(String content, String target, Frontend builtIn) {
        Objects.requireNonNull(builtIn, "builtIn");
        DockerfileModel plain = DockerfileModel.parse(content);
        // Nothing is known of an external frontend's features: accept every newer one, check the rest.
        Frontend frontend = plain.syntax()
                .map(image -> new Frontend("the external frontend " + image, Integer.MAX_VALUE))
                .orElse(builtIn);
        // Read as the frontend reads it: with heredocs, every <<WORD opens a body.
        DockerfileModel model =
                frontend.accepts(Frontend.Feature.HEREDOC) ? DockerfileModel.parse(content, true) : plain;
        Problems p = new Problems();
        model.directiveProblems().forEach(p::add);
        model.syntax()
                .ifPresent(image -> p.add(
                        Severity.WARNING,
                        model.syntaxLine(),
                        1,
                        "the '# syntax=" + image
                                + "' directive makes the daemon pull the frontend image " + image
                                + " (which needs registry access)"
                                + " and build with it instead of its built-in frontend; only what every Dockerfile frontend agrees on"
                                + " was checked"));
        if (model.instructions().isEmpty()) {
            p.add(Severity.ERROR, 0, 0, "the Dockerfile has no instructions: start it with FROM <image>");
            return p.sorted();
        }
        checkInstructions(model, content, target, frontend, p);
        return p.sorted();
    }

    private static void checkInstructions(
            DockerfileModel model, String content, String target, Frontend frontend, Problems p) {
        for (Instruction in : model.beforeFirstFrom()) {
            if (!in.isKnown()) {
                unknown(in, p);
            } else if (in.keyword().equals("ARG")) {
                InstructionChecks.check(in, p, true, frontend);
            } else {
                p.error(
                        in,
                        in.keyword() + " comes before the first FROM, where only ARG is allowed; move it after "
                                + "a FROM line");
            }
        }
        if (model.stages().isEmpty()) {
            p.add(Severity.ERROR, 0, 0, "the Dockerfile has no FROM instruction: add FROM <image> after the ARG lines");
            return;
        }
        int root = model.stages().size() - 1;
        if (target != null && !target.isBlank()) {
            Optional<Stage> stage = model.stage(target);
            if (stage.isPresent()) {
                root = stage.get().index();
            } else {
                root = -1;
                List<String> names = DockerfileModel.stageNames(content);
                p.add(
                        Severity.ERROR,
                        0,
                        0,
                        "the build target '" + target + "' names no stage; "
                                + (names.isEmpty()
                                        ? "name a stage with FROM <image> AS " + target
                                        : "use one of: " + String.join(", ", names)));
            }
        }
        Set<Integer> reachable = StageChecks.reachable(model, root);
        for (Stage stage : model.stages()) {
            boolean built = reachable.contains(stage.index());
            InstructionChecks.check(stage.from(), p, built, frontend);
            for (Instruction in : stage.instructions()) {
                if (!in.isKnown()) {
                    unknown(in, p);
                    continue;
                }
                if (in.heredocWord() != null && !frontend.accepts(Frontend.Feature.HEREDOC)) {
                    p.error(
                            in,
                            frontend.refusal(Frontend.Feature.HEREDOC, "a heredoc (<<" + in.heredocWord() + ")")
                                    + " (that frontend reads the body as instructions)");
                }
                InstructionChecks.check(in, p, built, frontend);
                if (in.keyword().equals("COPY")) {
                    StageChecks.checkCopyFrom(model, stage, in, p);
                }
            }
        }
        StageChecks.checkDuplicateNames(model, p);
        StageChecks.checkFromVariables(model, p);
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
        p.error(
                in,
                "unknown instruction " + in.text().split("\\s", 2)[0] + ": check the spelling (instructions are "
                        + Instruction.KEYWORDS.stream().sorted().collect(Collectors.joining(", "))
                        + "), or end the previous "
                        + "line with '" + in.escape() + "' if this line continues it");
    }
}
