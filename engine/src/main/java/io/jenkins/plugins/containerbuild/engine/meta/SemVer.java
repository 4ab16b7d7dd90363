package io.jenkins.plugins.containerbuild.engine.meta;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version as node-semver's strict {@code valid} reads it: {@code MAJOR.MINOR.PATCH[-PRE][+BUILD]}, a
 * leading {@code v} allowed, no leading zeros.
 *
 * @param raw        the text as given, e.g. {@code v1.2.3-beta.1}
 * @param major      e.g. 1
 * @param minor      e.g. 2
 * @param patch      e.g. 3
 * @param preRelease e.g. {@code beta.1}; empty for a release
 */
record SemVer(String raw, String major, String minor, String patch, String preRelease) {
    private static final String NUM = "(0|[1-9]\\d*)";
    private static final String PRE_ID = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*)";
    private static final Pattern STRICT = Pattern.compile("^\\s*v?" + NUM + "\\." + NUM + "\\." + NUM + "(?:-(" + PRE_ID
            + "(?:\\." + PRE_ID + ")*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?\\s*$");

    static Optional<SemVer> parse(String text) {
        Matcher m = STRICT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SemVer(text, m.group(1), m.group(2), m.group(3), m.group(4) == null ? "" : m.group(4)));
    }

    /** {@code MAJOR.MINOR.PATCH[-PRE]}, without the build metadata. */
    String version() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + preRelease);
    }

    boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** The values a semver pattern can name. */
    Map<String, String> values() {
        return Map.of("raw", raw, "version", version(), "major", major, "minor", minor, "patch", patch);
    }
}
