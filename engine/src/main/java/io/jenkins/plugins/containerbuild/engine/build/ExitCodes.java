package io.jenkins.plugins.containerbuild.engine.build;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a failing command's exit code in the daemon's error texts (BuildKit's {@code exit code: n}, the
 * legacy builder's {@code returned a non-zero code: n}, Podman's {@code exit status n}).
 */
public final class ExitCodes {
    private static final Pattern EXIT =
            Pattern.compile("(?:exit code: |returned a non-zero code: |exit status )(\\d+)");

    private ExitCodes() {}

    /** The exit code named in {@code message}, or null. */
    public static Integer find(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = EXIT.matcher(message);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
