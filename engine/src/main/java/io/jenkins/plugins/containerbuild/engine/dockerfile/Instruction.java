package io.jenkins.plugins.containerbuild.engine.dockerfile;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One instruction of a Dockerfile: its physical lines joined by line continuations (comment and
 * empty lines inside a continuation dropped), split into keyword, flags and arguments.
 * Positions of every character are kept so that problems point at the right line and column.
 */
public final class Instruction {
    /** Instructions known to the Dockerfile frontend, upper-case. */
    public static final Set<String> KEYWORDS = Set.of(
            "ADD",
            "ARG",
            "CMD",
            "COPY",
            "ENTRYPOINT",
            "ENV",
            "EXPOSE",
            "FROM",
            "HEALTHCHECK",
            "LABEL",
            "MAINTAINER",
            "ONBUILD",
            "RUN",
            "SHELL",
            "STOPSIGNAL",
            "USER",
            "VOLUME",
            "WORKDIR");

    private final String text;
    private final int[] lines;
    private final int[] columns;
    private final int endLine;
    private final String keyword;
    private final List<Flag> flags;
    private final int argumentsOffset;
    private final char escape;
    private final String heredocWord;

    Instruction(String text, int[] lines, int[] columns, int endLine, char escape, String heredocWord) {
        this.text = text;
        this.lines = lines;
        this.columns = columns;
        this.endLine = endLine;
        this.escape = escape;
        this.heredocWord = heredocWord;
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        this.keyword = text.substring(0, end).toUpperCase(Locale.ROOT);
        FlagScanner.Result scanned = FlagScanner.scan(this, end);
        this.flags = scanned.flags();
        this.argumentsOffset = scanned.argumentsOffset();
    }

    /** @return the instruction keyword in upper case, e.g. {@code COPY} (may be unknown) */
    public String keyword() {
        return keyword;
    }

    /** @return true when the keyword is one the Dockerfile frontend knows */
    public boolean isKnown() {
        return KEYWORDS.contains(keyword);
    }

    /** @return 1-based line of the keyword */
    public int line() {
        return lines[0];
    }

    /** @return 1-based column of the keyword */
    public int column() {
        return columns[0];
    }

    /** @return 1-based last physical line of this instruction */
    public int endLine() {
        return endLine;
    }

    /** @return the flags written before the arguments, in order */
    public List<Flag> flags() {
        return flags;
    }

    /** @return the arguments after the keyword and the flags, leading whitespace removed */
    public String arguments() {
        return text.substring(argumentsOffset);
    }

    /** @return the whole logical line (keyword, flags and arguments) */
    public String text() {
        return text;
    }

    /**
     * @return the here-document delimiter when the arguments open a heredoc ({@code <<EOF}) whose
     * body follows, else {@code null}
     */
    public String heredocWord() {
        return heredocWord;
    }

    /** @return the first flag with this (case-sensitive) name, or {@code null} */
    public Flag flag(String name) {
        return flags.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }

    char escape() {
        return escape;
    }

    int argumentsOffset() {
        return argumentsOffset;
    }

    /** @return the 1-based line of the character at {@code offset} of {@link #text()} */
    int lineAt(int offset) {
        return lines[Math.max(0, Math.min(offset, lines.length - 1))];
    }

    /** @return the 1-based column of the character at {@code offset} of {@link #text()} */
    int columnAt(int offset) {
        return columns[Math.max(0, Math.min(offset, columns.length - 1))];
    }

    /** @return the words of the arguments split on whitespace only (as FROM, EXPOSE, COPY do) */
    List<Word> plainWords() {
        return Words.plain(text, argumentsOffset);
    }

    /** @return the words of the arguments split on whitespace outside quotes (as ENV, LABEL, ARG do) */
    List<Word> shellWords() {
        return Words.shell(text, argumentsOffset, escape);
    }

    @Override
    public String toString() {
        return line() + ": " + text;
    }
}
