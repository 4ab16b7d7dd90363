package io.jenkins.plugins.containerbuild.engine.dockerfile;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Dockerfile text into {@link Instruction}s: parser directives at the top, comments,
 * line continuations with the escape character (comment and empty lines inside a continuation
 * are skipped), and heredoc bodies of RUN, COPY and ADD.
 */
final class DockerfileParser {
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.*?)\\s*");
    private static final Pattern HEREDOC = Pattern.compile("(?<![<\\w])<<-?\\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\\1");

    /** What the parser found: directives, their problems and the instructions. */
    record Result(
            char escape,
            String syntax,
            int syntaxLine,
            List<DockerfileProblem> problems,
            List<Instruction> instructions) {}

    private DockerfileParser() {}

    static Result parse(String content) {
        return parse(content, false);
    }

    /**
     * @param heredocs whether the frontend reads heredocs (BuildKit v0.10+): then every {@code <<WORD} of a RUN,
     *                 COPY or ADD in shell form opens a body that ends at a line holding only WORD; else only
     *                 a heredoc that would certainly break an older frontend is recognised
     */
    static Result parse(String content, boolean heredocs) {
        String[] physical = split(content);
        List<DockerfileProblem> problems = new ArrayList<>();
        char escape = '\\';
        boolean escapeSeen = false;
        String syntax = null;
        int syntaxLine = 0;
        int i = 0;
        for (; i < physical.length; i++) {
            Matcher m = DIRECTIVE.matcher(physical[i].strip());
            if (!m.matches()) {
                break;
            }
            String name = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2);
            if (name.equals("escape")) {
                if (value.isEmpty()) {
                    break; // not a directive: the directive needs a character
                }
                if (escapeSeen) {
                    problems.add(error(i + 1, "only one '# escape=' parser directive may be used; remove this one"));
                } else if (value.charAt(0) != '\\' && value.charAt(0) != '`') {
                    problems.add(error(
                            i + 1,
                            "invalid escape character '" + value
                                    + "' in the parser directive: use '# escape=\\' or '# escape=`'"));
                }
                escapeSeen = true;
                if (value.charAt(0) == '`') {
                    escape = '`';
                }
            } else if (name.equals("syntax")) {
                if (syntax == null) {
                    syntax = value;
                    syntaxLine = i + 1;
                }
            } else {
                break; // an unknown directive is a comment and ends the directives
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        while (i < physical.length) {
            String line = physical[i];
            String stripped = line.stripLeading();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                i++;
                continue;
            }
            StringBuilder text = new StringBuilder();
            List<int[]> positions = new ArrayList<>();
            int lineNo = i + 1;
            int col = line.length() - stripped.length() + 1;
            boolean more = append(stripped, lineNo, col, escape, text, positions);
            int end = i;
            i++;
            while (more && i < physical.length) {
                String next = physical[i];
                String s = next.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    i++;
                    continue;
                }
                end = i;
                more = append(next, i + 1, 1, escape, text, positions);
                i++;
            }
            String logical = text.toString();
            int[] lines = new int[Math.max(1, positions.size())];
            int[] cols = new int[lines.length];
            for (int p = 0; p < positions.size(); p++) {
                lines[p] = positions.get(p)[0];
                cols[p] = positions.get(p)[1];
            }
            if (positions.isEmpty()) {
                lines[0] = lineNo;
                cols[0] = col;
            }
            Instruction instruction = new Instruction(logical, lines, cols, end + 1, escape, null);
            int terminator = heredocs
                    ? heredocBodies(instruction, physical, i, problems)
                    : heredocTerminator(instruction, physical, i);
            if (terminator >= 0) {
                Matcher h = HEREDOC.matcher(instruction.arguments());
                h.find();
                instruction = new Instruction(logical, lines, cols, terminator + 1, escape, h.group(2));
                i = terminator + 1;
            }
            instructions.add(instruction);
        }
        return new Result(escape, syntax, syntaxLine, List.copyOf(problems), List.copyOf(instructions));
    }

    /**
     * Finds the bodies of every heredoc a RUN, COPY or ADD in shell form opens, one after the other, as a
     * frontend with heredocs reads them ({@code <<-WORD} also ends at a line of tabs and WORD). A body without
     * its terminator line is an error, as the frontend reports it.
     *
     * @return the index of the last terminator line, or -1 when the instruction opens no heredoc
     */
    private static int heredocBodies(
            Instruction instruction, String[] physical, int next, List<DockerfileProblem> problems) {
        String keyword = instruction.keyword();
        String args = instruction.arguments();
        if (!Set.of("RUN", "COPY", "ADD").contains(keyword) || args.startsWith("[")) {
            return -1;
        }
        Matcher h = HEREDOC.matcher(args);
        int last = -1;
        int j = next;
        while (h.find()) {
            String word = h.group(2);
            boolean tabs = h.group().startsWith("<<-");
            while (j < physical.length && !(tabs ? physical[j].replaceFirst("^\t+", "") : physical[j]).equals(word)) {
                j++;
            }
            if (j >= physical.length) {
                problems.add(new DockerfileProblem(
                        DockerfileProblem.Severity.ERROR,
                        instruction.line(),
                        instruction.column(),
                        "unterminated heredoc <<" + word + ": end its body with a line " + "holding only " + word));
                return physical.length - 1;
            }
            last = j;
            j++;
        }
        return last;
    }

    /**
     * Finds the heredoc body after a RUN, COPY or ADD in shell form that opens one ({@code <<EOF}).
     * Only a heredoc that certainly breaks the build is recognised: the terminator line exists and
     * the first body line does not start with an instruction keyword, so an older frontend (which
     * reads the body as instructions) refuses it.
     *
     * @return the index of the terminator line, or -1
     */
    private static int heredocTerminator(Instruction instruction, String[] physical, int next) {
        String keyword = instruction.keyword();
        if (!keyword.equals("RUN") && !keyword.equals("COPY") && !keyword.equals("ADD")) {
            return -1;
        }
        String args = instruction.arguments();
        Matcher h = HEREDOC.matcher(args);
        if (args.startsWith("[") || !h.find()) {
            return -1;
        }
        String word = h.group(2);
        boolean firstChecked = false;
        for (int j = next; j < physical.length; j++) {
            String s = physical[j].strip();
            if (!firstChecked && !s.isEmpty() && !s.startsWith("#")) {
                String first = s.split("\\s", 2)[0].toUpperCase(Locale.ROOT);
                if (Instruction.KEYWORDS.contains(first)) {
                    return -1;
                }
                firstChecked = true;
            }
            if (s.equals(word)) {
                return firstChecked ? j : -1;
            }
        }
        return -1;
    }

    /** Appends one physical line; returns true when it ends with the escape character (continues). */
    private static boolean append(
            String line, int lineNo, int firstCol, char escape, StringBuilder text, List<int[]> positions) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        boolean continues = end > 0 && line.charAt(end - 1) == escape;
        int stop = continues ? end - 1 : line.length();
        for (int c = 0; c < stop; c++) {
            text.append(line.charAt(c));
            positions.add(new int[] {lineNo, firstCol + c});
        }
        return continues;
    }

    private static String[] split(String content) {
        String s = content.startsWith("\uFEFF") ? content.substring(1) : content;
        String[] lines = s.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        return lines;
    }

    private static DockerfileProblem error(int line, String message) {
        return new DockerfileProblem(DockerfileProblem.Severity.ERROR, line, 1, message);
    }
}
