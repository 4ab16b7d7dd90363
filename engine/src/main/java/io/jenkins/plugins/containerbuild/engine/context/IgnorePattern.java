package io.jenkins.plugins.containerbuild.engine.context;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cleaned .dockerignore pattern compiled to a regular expression the way moby's patternmatcher does it:
 * {@code *} and {@code ?} stay within one path element, {@code **} spans any number of elements (a
 * {@code **}{@code /} also matches zero of them), {@code [...]} is a character class, {@code \} escapes the
 * next character. Classes are parsed with Go's {@code filepath.Match} grammar, which is what the docker CLI
 * validates patterns against; a pattern that grammar rejects is rejected here too.
 */
final class IgnorePattern {
    /** What errors name: the file the pattern comes from. */
    private static final String FIELD = ".dockerignore";

    private final String text;
    private final boolean exception;
    private final Pattern regex;

    private IgnorePattern(String text, boolean exception, Pattern regex) {
        this.text = text;
        this.exception = exception;
        this.regex = regex;
    }

    /**
     * Compiles a cleaned pattern.
     *
     * @param cleaned the pattern as {@link DockerIgnore#patterns()} lists it, with its leading {@code !}
     * @throws InvalidBuildContextException naming {@code .dockerignore}, when the pattern is malformed
     */
    static IgnorePattern compile(String cleaned) {
        boolean exception = cleaned.startsWith("!");
        String body = exception ? cleaned.substring(1) : cleaned;
        if (body.isEmpty()) {
            throw new InvalidBuildContextException(
                    FIELD, "a lone '!' is not a pattern; an exception names what it keeps, e.g. !keep.txt");
        }
        // DOTALL: a file name may contain a line break, and '.*' must cross it.
        return new IgnorePattern(cleaned, exception, Pattern.compile(toRegex(cleaned, body), Pattern.DOTALL));
    }

    /** The pattern as written after cleaning, {@code !} included. */
    String text() {
        return text;
    }

    /** True for a {@code !} pattern, which re-includes what it matches. */
    boolean isException() {
        return exception;
    }

    /** True when the pattern matches exactly this '/'-separated relative path (parents are not considered). */
    boolean matches(String relativePath) {
        return regex.matcher(relativePath).matches();
    }

    /**
     * True when the pattern might match some path inside the directory {@code dir}. Answers from the regex
     * engine's "hit end" flag: when matching {@code dir + "/"} fails without ever reaching the end of that
     * input, no longer input that starts with it can match either. May answer true for a path that in the
     * end does not match, never false for one that does.
     */
    boolean mayMatchBelow(String dir) {
        Matcher m = regex.matcher(dir + "/");
        return m.matches() || m.hitEnd();
    }

    private static String toRegex(String original, String body) {
        StringBuilder re = new StringBuilder("^");
        int[] cps = body.codePoints().toArray();
        int i = 0;
        while (i < cps.length) {
            int c = cps[i++];
            if (c == '*') {
                if (i < cps.length && cps[i] == '*') {
                    i++;
                    if (i < cps.length && cps[i] == '/') {
                        i++; // "**/" is treated as "**"
                    }
                    // "**" at the end takes everything; elsewhere any number of whole elements, even none.
                    re.append(i == cps.length ? ".*" : "(?:.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '\\') {
                if (i == cps.length) {
                    throw bad(original, "it ends with an escaping '\\'");
                }
                re.append(literal(cps[i++]));
            } else if (c == '[') {
                i = appendClass(original, cps, i, re);
            } else {
                re.append(literal(c));
            }
        }
        return re.append('$').toString();
    }

    /** Parses a class body starting after '[' (Go filepath.Match grammar); returns the index after ']'. */
    private static int appendClass(String original, int[] cps, int start, StringBuilder re) {
        int i = start;
        re.append('[');
        if (i < cps.length && cps[i] == '^') {
            re.append('^');
            i++;
        }
        int ranges = 0;
        while (true) {
            if (i < cps.length && cps[i] == ']' && ranges > 0) {
                re.append(']');
                return i + 1;
            }
            int[] lo = classChar(original, cps, i);
            i = lo[1];
            re.append(literal(lo[0]));
            if (i < cps.length && cps[i] == '-') {
                int[] hi = classChar(original, cps, i + 1);
                if (hi[0] < lo[0]) {
                    throw bad(original, "the character range is reversed");
                }
                i = hi[1];
                re.append('-').append(literal(hi[0]));
            }
            ranges++;
        }
    }

    /** One class character, escaped or not: {code point, next index}. */
    private static int[] classChar(String original, int[] cps, int i) {
        if (i >= cps.length) {
            throw bad(original, "a character class is not closed with ']'");
        }
        int c = cps[i];
        if (c == '-' || c == ']') {
            throw bad(original, "a character class is empty or has a stray '" + (char) c + "'");
        }
        if (c == '\\') {
            if (i + 1 >= cps.length) {
                throw bad(original, "a character class is not closed with ']'");
            }
            return new int[] {cps[i + 1], i + 2};
        }
        return new int[] {c, i + 1};
    }

    private static String literal(int codePoint) {
        return "\\x{" + Integer.toHexString(codePoint) + "}";
    }

    private static InvalidBuildContextException bad(String pattern, String why) {
        return new InvalidBuildContextException(FIELD, "invalid pattern '" + pattern + "': " + why);
    }

    @Override
    public String toString() {
        return text;
    }
}
