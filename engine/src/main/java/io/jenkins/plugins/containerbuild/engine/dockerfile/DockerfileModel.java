package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed Dockerfile: parser directives, the ARG instructions before the first FROM and the
 * build stages. Parsing never fails; {@link DockerfileValidator} reports what is wrong.
 */
public final class DockerfileModel {
    private final char escape;
    private final String syntax;
    private final int syntaxLine;
    private final List<Instruction> instructions;
    private final List<Instruction> beforeFirstFrom;
    private final List<Stage> stages;
    private final List<DockerfileProblem> directiveProblems;

    private DockerfileModel(DockerfileParser.Result parsed) {
        this.escape = parsed.escape();
        this.syntax = parsed.syntax();
        this.syntaxLine = parsed.syntaxLine();
        this.instructions = parsed.instructions();
        this.directiveProblems = parsed.problems();
        List<Instruction> before = new ArrayList<>();
        List<Stage> all = new ArrayList<>();
        Instruction from = null;
        List<Instruction> body = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                if (from != null) {
                    all.add(stage(all.size(), from, body));
                }
                from = instruction;
                body = new ArrayList<>();
            } else if (from == null) {
                before.add(instruction);
            } else {
                body.add(instruction);
            }
        }
        if (from != null) {
            all.add(stage(all.size(), from, body));
        }
        this.beforeFirstFrom = List.copyOf(before);
        this.stages = List.copyOf(all);
    }

    /**
     * Parses Dockerfile text.
     *
     * @param content the Dockerfile
     * @return the model; never fails on bad syntax
     */
    public static DockerfileModel parse(String content) {
        return parse(content, false);
    }

    /**
     * Parses Dockerfile text as a frontend with or without heredocs reads it.
     *
     * @param content  the Dockerfile
     * @param heredocs whether the frontend reads heredoc bodies (BuildKit v0.10 and later)
     * @return the model; never fails on bad syntax
     */
    public static DockerfileModel parse(String content, boolean heredocs) {
        return new DockerfileModel(DockerfileParser.parse(Objects.requireNonNull(content, "content"), heredocs));
    }

    /**
     * The names of the named build stages, in the order they appear, as written after {@code AS}.
     * Unnamed stages are left out. Use one of these as a build target.
     *
     * @param content the Dockerfile
     * @return the stage names in order
     */
    public static List<String> stageNames(String content) {
        return parse(content).stages().stream()
                .map(Stage::name)
                .filter(Objects::nonNull)
                .toList();
    }

    /**
     * Every stage's name in Dockerfile order, lower-cased as BuildKit names them in its step names
     * ({@code [build 2/4] RUN …}), with an empty string for a stage without a name.
     *
     * @param content the Dockerfile
     * @return one label per stage
     */
    public static List<String> stageLabels(String content) {
        return parse(content).stages().stream()
                .map(st -> st.name() == null ? "" : st.name().toLowerCase(java.util.Locale.ROOT))
                .toList();
    }

    /** @return the escape character: {@code \} or a backtick from {@code # escape=`} */
    public char escape() {
        return escape;
    }

    /** @return the image named by a {@code # syntax=} directive, if any */
    public Optional<String> syntax() {
        return Optional.ofNullable(syntax);
    }

    int syntaxLine() {
        return syntaxLine;
    }

    List<DockerfileProblem> directiveProblems() {
        return directiveProblems;
    }

    /** @return every instruction in order */
    public List<Instruction> instructions() {
        return instructions;
    }

    /** @return the instructions before the first FROM (only ARG is allowed there) */
    public List<Instruction> beforeFirstFrom() {
        return beforeFirstFrom;
    }

    /** @return the build stages in order */
    public List<Stage> stages() {
        return stages;
    }

    /**
     * Finds a stage by name the way the daemon does (case-insensitive).
     *
     * @param name a stage name
     * @return the first stage with that name
     */
    public Optional<Stage> stage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return stages.stream()
                .filter(s ->
                        s.name() != null && s.name().toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
    }

    private static Stage stage(int index, Instruction from, List<Instruction> body) {
        List<Word> words = from.plainWords();
        String base = words.isEmpty() ? null : words.get(0).text();
        String name = words.size() == 3 && words.get(1).text().equalsIgnoreCase("AS")
                ? words.get(2).text()
                : null;
        return new Stage(index, name, base, from, body);
    }
}
