package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks across stages: names, references between stages, variables in FROM, the build target. */
final class StageChecks {
    /** Build arguments the frontend defines for FROM without an ARG. */
    private static final Set<String> AUTOMATIC_ARGS = Set.of(
            "BUILDPLATFORM",
            "BUILDOS",
            "BUILDARCH",
            "BUILDVARIANT",
            "TARGETPLATFORM",
            "TARGETOS",
            "TARGETARCH",
            "TARGETVARIANT");

    private static final Pattern VARIABLE =
            Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern INDEX = Pattern.compile("\\d+");

    private StageChecks() {}

    /** Names declared by the ARG instructions before the first FROM. */
    static Set<String> metaArgs(DockerfileModel model) {
        Set<String> names = new HashSet<>();
        for (Instruction in : model.beforeFirstFrom()) {
            if (in.keyword().equals("ARG")) {
                for (Word w : in.shellWords()) {
                    int eq = w.text().indexOf('=');
                    names.add(eq < 0 ? w.text() : w.text().substring(0, eq));
                }
            }
        }
        return names;
    }

    /** Warns about variables in FROM (image and --platform) that no ARG before the first FROM declares. */
    static void checkFromVariables(DockerfileModel model, Problems p) {
        Set<String> declared = metaArgs(model);
        for (Stage stage : model.stages()) {
            Instruction from = stage.from();
            Flag platform = from.flag("platform");
            if (platform != null && platform.value() != null) {
                for (String name : undeclared(platform.value(), declared, from.escape())) {
                    p.add(Severity.WARNING, platform, message(name));
                }
            }
            List<Word> words = from.plainWords();
            if (!words.isEmpty()) {
                for (String name : undeclared(words.get(0).text(), declared, from.escape())) {
                    p.add(Severity.WARNING, from, words.get(0), message(name));
                }
            }
        }
    }

    private static String message(String name) {
        return "FROM uses $" + name + " but no ARG before the first FROM declares it, so it is empty; add ARG " + name
                + "=<default> at the top of the Dockerfile";
    }

    private static List<String> undeclared(String text, Set<String> declared, char escape) {
        Matcher m = VARIABLE.matcher(text);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            if (m.start() > 0 && text.charAt(m.start() - 1) == escape) {
                continue;
            }
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            boolean hasModifier = m.group(2) != null && !m.group(2).isEmpty();
            if (!hasModifier && !declared.contains(name) && !AUTOMATIC_ARGS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Warns about stage names used twice (names are case-insensitive). */
    static void checkDuplicateNames(DockerfileModel model, Problems p) {
        Map<String, Stage> first = new HashMap<>();
        for (Stage stage : model.stages()) {
            if (stage.name() == null) {
                continue;
            }
            Stage earlier = first.putIfAbsent(stage.name().toLowerCase(Locale.ROOT), stage);
            if (earlier != null) {
                List<Word> words = stage.from().plainWords();
                p.add(
                        Severity.WARNING,
                        stage.from(),
                        words.get(2),
                        "stage name '" + stage.name()
                                + "' is already used by the stage at line "
                                + earlier.from().line()
                                + " (stage names are case-insensitive); give each stage a unique name");
            }
        }
    }

    /** Warns about COPY --from values that name no earlier stage and are no stage index. */
    static void checkCopyFrom(DockerfileModel model, Stage stage, Instruction in, Problems p) {
        Flag from = in.flag("from");
        if (from == null
                || from.value() == null
                || from.value().isEmpty()
                || from.value().contains("$")
                || INDEX.matcher(from.value()).matches()) {
            return;
        }
        String lower = from.value().toLowerCase(Locale.ROOT);
        boolean earlier = model.stages().stream()
                .limit(stage.index())
                .anyMatch(s ->
                        s.name() != null && s.name().toLowerCase(Locale.ROOT).equals(lower));
        if (earlier) {
            return;
        }
        Optional<Stage> later = model.stage(from.value());
        if (later.isPresent()) {
            p.add(
                    Severity.WARNING,
                    from,
                    "COPY --from=" + from.value() + " refers to the stage defined later at line "
                            + later.get().from().line() + "; move that stage before this one");
        } else {
            p.add(
                    Severity.WARNING,
                    from,
                    "COPY --from=" + from.value() + " names no earlier stage, so it is pulled as "
                            + "the image '" + from.value() + "' (which fails without a registry); define FROM ... AS "
                            + from.value() + " before this stage or correct the name");
        }
    }

    /**
     * The indexes of the stages the build runs: the target stage (or the last one) and every
     * stage it uses through FROM, COPY --from or RUN --mount from=. References through variables
     * are not followed, so a stage is treated as built only when that is certain.
     */
    static Set<Integer> reachable(DockerfileModel model, int root) {
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>();
        List<Stage> stages = model.stages();
        if (root >= 0 && root < stages.size()) {
            todo.add(root);
        }
        while (!todo.isEmpty()) {
            int index = todo.pop();
            if (!seen.add(index)) {
                continue;
            }
            Stage stage = stages.get(index);
            if (stage.baseImage() != null) {
                String base = stage.baseImage().toLowerCase(Locale.ROOT);
                stages.stream()
                        .limit(index)
                        .filter(s -> s.name() != null
                                && s.name().toLowerCase(Locale.ROOT).equals(base))
                        .findFirst()
                        .ifPresent(s -> todo.add(s.index()));
            }
            for (Instruction in : stage.instructions()) {
                for (Flag flag : in.flags()) {
                    String ref = null;
                    if (flag.name().equals("from") && in.keyword().equals("COPY")) {
                        ref = flag.value();
                    } else if (flag.name().equals("mount") && in.keyword().equals("RUN") && flag.value() != null) {
                        ref = MountChecks.fields(flag.value()).get("from");
                    }
                    if (ref == null || ref.isEmpty() || ref.contains("$")) {
                        continue;
                    }
                    if (INDEX.matcher(ref).matches()) {
                        if (ref.length() < 6 && Integer.parseInt(ref) < stages.size()) {
                            todo.add(Integer.parseInt(ref));
                        }
                    } else {
                        model.stage(ref).ifPresent(s -> todo.add(s.index()));
                    }
                }
            }
        }
        return seen;
    }
}
