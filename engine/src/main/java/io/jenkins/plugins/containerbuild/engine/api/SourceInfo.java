package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Map;
import java.util.Optional;

/**
 * What a build's provenance says made it: the CI run (its URL, e.g. Jenkins' {@code BUILD_URL}) and the source
 * (repository URL and revision, e.g. {@code GIT_URL} and {@code GIT_COMMIT}). Each may be null.
 *
 * @param builderId the run's URL, the provenance's builder id
 * @param vcsSource the source repository's URL
 * @param vcsRevision the source revision
 */
public record SourceInfo(String builderId, String vcsSource, String vcsRevision) {
    /** The environment variables a Jenkins run sets: {@code BUILD_URL}, {@code GIT_URL}, {@code GIT_COMMIT}. */
    public static final java.util.List<String> VARIABLES = java.util.List.of("BUILD_URL", "GIT_URL", "GIT_COMMIT");

    /** From Jenkins' variables in {@code env}; empty when none is set. */
    public static Optional<SourceInfo> fromEnvironment(Map<String, String> env) {
        String run = blankToNull(env.get("BUILD_URL"));
        String source = blankToNull(env.get("GIT_URL"));
        String revision = blankToNull(env.get("GIT_COMMIT"));
        return run == null && source == null && revision == null
                ? Optional.empty()
                : Optional.of(new SourceInfo(run, source, revision));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
