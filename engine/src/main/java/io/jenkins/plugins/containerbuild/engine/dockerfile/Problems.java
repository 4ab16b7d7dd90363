package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects problems; positions come from instructions, words and flags. */
final class Problems {
    private final List<DockerfileProblem> list = new ArrayList<>();

    void add(DockerfileProblem problem) {
        list.add(problem);
    }

    void add(Severity severity, int line, int column, String message) {
        list.add(new DockerfileProblem(severity, line, column, message));
    }

    void error(Instruction at, String message) {
        add(Severity.ERROR, at.line(), at.column(), message);
    }

    void warning(Instruction at, String message) {
        add(Severity.WARNING, at.line(), at.column(), message);
    }

    void add(Severity severity, Instruction in, Word at, String message) {
        add(severity, in.lineAt(at.offset()), in.columnAt(at.offset()), message);
    }

    void add(Severity severity, Flag at, String message) {
        add(severity, at.line(), at.column(), message);
    }

    /**
     * Adds a problem the daemon finds only while converting a stage it builds: an ERROR in a stage
     * the build reaches, a WARNING in one it skips.
     */
    void dispatch(boolean reachable, int line, int column, String message) {
        if (reachable) {
            add(Severity.ERROR, line, column, message);
        } else {
            add(
                    Severity.WARNING,
                    line,
                    column,
                    message
                            + " (this stage is not part of the build for this target, so the daemon does not check it yet)");
        }
    }

    /** @return the problems ordered by line and column, stable otherwise */
    List<DockerfileProblem> sorted() {
        List<DockerfileProblem> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparingInt(DockerfileProblem::line).thenComparingInt(DockerfileProblem::column));
        return List.copyOf(copy);
    }
}
