package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.meta.GitState;
import io.jenkins.plugins.containerbuild.engine.meta.ImageMetadata;
import io.jenkins.plugins.containerbuild.engine.meta.MetadataRules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code container-build meta}: the tags and OCI labels docker/metadata-action's rules give for a git checkout,
 * printed as {@code {"tags":[…],"labels":{…}}}.
 */
@Command(
        name = "meta",
        mixinStandardHelpOptions = true,
        description = "Print the image tags and OCI labels that tag rules (docker/metadata-action's syntax) give for"
                + " the state of a git checkout, as JSON.")
final class MetaCommand implements Callable<Integer> {
    @Option(names = "--image", paramLabel = "IMAGE", description = "Image to tag, without a tag (repeatable)")
    List<String> images = new ArrayList<>();

    @Option(
            names = "--tag",
            paramLabel = "RULE",
            required = true,
            description =
                    "Tag rule, e.g. type=ref,event=branch or type=semver,pattern={{major}}.{{minor}}" + " (repeatable)")
    List<String> rules = new ArrayList<>();

    @Option(
            names = "--flavor",
            paramLabel = "FLAVOR",
            description = "latest=auto|true|false, prefix=…, suffix=…[,onlatest=true] (repeatable)")
    List<String> flavor = new ArrayList<>();

    @Option(names = "--git", paramLabel = "DIR", description = "The git checkout (default: the current directory)")
    Path git = Path.of(".");

    @Option(
            names = "--default-branch",
            paramLabel = "BRANCH",
            description = "The repository's default branch, for type=edge and {{is_default_branch}} (default:"
                    + " origin/HEAD, else main)")
    String defaultBranch;

    @Override
    public Integer call() {
        ImageMetadata m =
                MetadataRules.parse(images, rules, flavor).compute(gitState(git, defaultBranch), Instant.now());
        System.out.println(Json.write(m.toMap()));
        return 0;
    }

    /** The state of the checkout {@code dir} is in. */
    static GitState gitState(Path dir, String defaultBranch) {
        try {
            return GitState.fromRepository(dir.toAbsolutePath(), defaultBranch);
        } catch (IOException e) {
            throw new InvalidBuildContextException("--git", e.getMessage() + "; tag rules read a git checkout");
        }
    }
}
