package io.jenkins.plugins.containerbuild.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.meta.GitState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tag rules applied to a Jenkins run's environment and to a real git checkout. */
class SourceMetadataTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static BuildSpec spec(Map<String, Object> extra) {
        Map<String, Object> args = new java.util.LinkedHashMap<>(Map.of(
                "images", List.of("registry.example.com/team/app"),
                "tagRules",
                        List.of(
                                "type=ref,event=branch",
                                "type=ref,event=pr",
                                "type=semver,pattern={{version}}",
                                "type=sha"),
                "labels", Map.of("org.opencontainers.image.title", "given")));
        args.putAll(extra);
        return BuildSpecArguments.fromArguments(args);
    }

    @Test
    void aMultibranchPullRequestGetsItsTagsAndLabelsWhileGivenTagsAndLabelsStay() {
        BuildSpec applied = SourceMetadata.apply(
                spec(Map.of("tags", List.of("registry.example.com/team/app:ci"))),
                Map.of(
                        "BRANCH_NAME",
                        "PR-7",
                        "CHANGE_ID",
                        "7",
                        "GIT_COMMIT",
                        "0123456789abcdef0123456789abcdef01234567",
                        "GIT_URL",
                        "https://github.com/team/app.git"),
                NOW);
        assertThat(applied.tags())
                .containsExactly(
                        "registry.example.com/team/app:ci",
                        "registry.example.com/team/app:pr-7",
                        "registry.example.com/team/app:sha-0123456");
        assertThat(applied.labels())
                .containsEntry("org.opencontainers.image.title", "given")
                .containsEntry("org.opencontainers.image.version", "pr-7")
                .containsEntry("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567")
                .containsEntry("org.opencontainers.image.source", "https://github.com/team/app")
                .containsEntry("org.opencontainers.image.created", "2026-12-06T10:00:00.000Z");
        assertThat(applied.tagRules()).as("applied once").isEmpty();
        assertThat(SourceMetadata.apply(applied, Map.of("BRANCH_NAME", "main"), NOW))
                .isEqualTo(applied);
    }

    @Test
    void aPushNeedsNoLiteralTagWhenRulesGiveThem() {
        BuildSpec pushing = spec(Map.of("push", true));
        assertThat(pushing.tags()).isEmpty();
        assertThat(SourceMetadata.apply(pushing, Map.of("TAG_NAME", "v2.3.4", "BRANCH_NAME", "v2.3.4"), NOW)
                        .tags())
                .containsExactly("registry.example.com/team/app:2.3.4", "registry.example.com/team/app:latest");
    }

    @Test
    void aGitCheckoutOnABranchOrATag(@TempDir Path dir) throws Exception {
        git(dir, "init", "-q", "-b", "feature/login");
        git(dir, "config", "user.email", "ci@example.com");
        git(dir, "config", "user.name", "CI");
        git(dir, "remote", "add", "origin", "git@github.com:team/app.git");
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        git(dir, "add", "Dockerfile");
        git(dir, "commit", "-q", "-m", "first");
        String sha = git(dir, "rev-parse", "HEAD");

        GitState onBranch = GitState.fromRepository(dir, null);
        assertThat(onBranch.branch()).isEqualTo("feature/login");
        assertThat(onBranch.sha()).isEqualTo(sha);
        assertThat(SourceMetadata.apply(spec(Map.of()), onBranch, NOW).tags())
                .containsExactly(
                        "registry.example.com/team/app:feature-login",
                        "registry.example.com/team/app:sha-" + sha.substring(0, 7));

        git(dir, "tag", "v1.0.0");
        git(dir, "checkout", "-q", "--detach", "v1.0.0");
        GitState onTag = GitState.fromRepository(dir, null);
        assertThat(onTag.tag()).isEqualTo("v1.0.0");
        assertThat(SourceMetadata.apply(spec(Map.of()), onTag, NOW).labels())
                .containsEntry("org.opencontainers.image.version", "1.0.0")
                .containsEntry("org.opencontainers.image.source", "https://github.com/team/app");
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
        return out;
    }
}
