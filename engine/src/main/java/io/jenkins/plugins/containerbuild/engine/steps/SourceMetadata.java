package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.meta.GitState;
import io.jenkins.plugins.containerbuild.engine.meta.ImageMetadata;
import io.jenkins.plugins.containerbuild.engine.meta.MetadataRules;
import java.time.Instant;
import java.util.Map;

/**
 * Applies a build's tag rules ({@code images}, {@code tagRules}, {@code flavor}) where the state of the source is
 * known: to a Jenkins run's environment ({@code BRANCH_NAME}, {@code TAG_NAME}, {@code CHANGE_ID}, {@code GIT_*},
 * {@code BUILD_URL}) or to a git checkout's. The repository's default branch, which Jenkins does not say, is
 * {@code CONTAINER_BUILD_DEFAULT_BRANCH}, else {@code main}.
 */
public final class SourceMetadata {
    /** The variable that names the repository's default branch for {@code edge} and {@code is_default_branch}. */
    public static final String DEFAULT_BRANCH_VARIABLE = "CONTAINER_BUILD_DEFAULT_BRANCH";

    private SourceMetadata() {}

    /** {@code spec} with its rules' tags and labels for the state {@code env} describes; unchanged without rules. */
    public static BuildSpec apply(BuildSpec spec, Map<String, String> env, Instant now) {
        if (spec.tagRules().isEmpty()) {
            return spec;
        }
        return apply(spec, GitState.fromEnvironment(env, env.get(DEFAULT_BRANCH_VARIABLE)), now);
    }

    /** {@code spec} with its rules' tags and labels for {@code git}; unchanged without rules. */
    public static BuildSpec apply(BuildSpec spec, GitState git, Instant now) {
        if (spec.tagRules().isEmpty()) {
            return spec;
        }
        ImageMetadata m = MetadataRules.parse(spec.images(), spec.tagRules(), spec.flavor())
                .compute(git, now);
        return spec.withSourceMetadata(m.tags(), m.labels());
    }

    /** Each build of {@code batch} with its rules applied to {@code env}. */
    public static BatchRequest apply(BatchRequest batch, Map<String, String> env, Instant now) {
        return batch.map(b -> apply(b, env, now));
    }
}
