package io.jenkins.plugins.containerbuild.engine.context;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The two Go string functions that .dockerignore handling depends on, reimplemented so that patterns are
 * normalized exactly as the docker CLI normalizes them.
 */
final class GoPaths {
    private GoPaths() {}

    /**
     * Go's {@code path.Clean} for '/'-separated paths: collapses repeated slashes, drops {@code .} elements,
     * resolves {@code ..} against the preceding element, removes a trailing slash; an empty result is
     * {@code "."}.
     */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        Deque<String> out = new ArrayDeque<>();
        for (String element : path.split("/", -1)) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                if (!out.isEmpty() && !out.peekLast().equals("..")) {
                    out.removeLast();
                } else if (!rooted) {
                    out.addLast(".."); // a relative path keeps its leading '..'; '/..' is just '/'
                }
                continue;
            }
            out.addLast(element);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** Go's {@code strings.TrimSpace}: strips leading and trailing Unicode white space. */
    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    // Go's unicode.IsSpace: ASCII \t \n \v \f \r and space, U+0085, U+00A0, and the Unicode Z categories.
    private static boolean isSpace(char c) {
        if (c <= 0xFF) {
            return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
        }
        return Character.isSpaceChar(c);
    }
}
