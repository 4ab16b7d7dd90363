package io.jenkins.plugins.containerbuild.engine.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules against docker/metadata-action's documented examples (its README and the fixtures of its
 * {@code __tests__/meta.test.ts}, named by their ids): the same git state, rules and flavor give the same tags.
 */
class MetadataRulesTest {
    private static final Instant NOW = Instant.parse("2020-01-10T00:30:00Z");
    private static final String SHA = "860c1904a1ce19322e91ac35af1ab07466440c37";
    private static final String MASTER_SHA = "266574110acf203503badf966df2ea24b5d732d7";
    private static final String REPO = "https://github.com/octocat/Hello-World.git";

    static GitState tag(String tag) {
        return new GitState(null, tag, null, null, SHA, "master", REPO, null);
    }

    static GitState branch(String branch, String sha) {
        return new GitState(branch, null, null, null, sha, "master", REPO, null);
    }

    static GitState pr(String number) {
        return new GitState(
                null, null, number, "master", "a9c8c5828b91ab2e8b2a1f3d2ef8cfd4a1d19a4c", "master", REPO, null);
    }

    static Arguments example(String id, GitState git, List<String> rules, List<String> flavor, List<String> tags) {
        return Arguments.of(id, git, rules, flavor, tags);
    }

    static Stream<Arguments> documentedExamples() {
        return Stream.of(
                example(
                        "tag11",
                        tag("v1.1.1"),
                        List.of(
                                "type=semver,pattern={{version}}",
                                "type=semver,pattern={{major}}.{{minor}}",
                                "type=semver,pattern={{major}}"),
                        List.of(),
                        List.of("1.1.1", "1.1", "1", "latest")),
                example(
                        "tag12",
                        tag("v1.1.1"),
                        List.of("type=semver,pattern={{version}}", "type=semver,pattern={{major}}.{{minor}}.{{patch}}"),
                        List.of(),
                        List.of("1.1.1", "latest")),
                example(
                        "readme",
                        tag("v1.2.3"),
                        List.of(
                                "type=ref,event=branch",
                                "type=ref,event=pr",
                                "type=semver,pattern={{version}}",
                                "type=semver,pattern={{major}}.{{minor}}",
                                "type=sha"),
                        List.of(),
                        List.of("1.2.3", "1.2", "sha-860c190", "latest")),
                example(
                        "tag13",
                        tag("v2.0.8-beta.67"),
                        List.of("type=semver,pattern={{major}}.{{minor}}", "type=semver,pattern={{major}}"),
                        List.of(),
                        List.of("2.0.8-beta.67")),
                example(
                        "tag31",
                        tag("v2.0.8-beta.67"),
                        List.of("type=semver,pattern={{raw}}"),
                        List.of(),
                        List.of("v2.0.8-beta.67")),
                example(
                        "latest05",
                        tag("v1.1.1"),
                        List.of("type=ref,event=branch", "type=ref,event=tag", "type=ref,event=pr"),
                        List.of(),
                        List.of("v1.1.1", "latest")),
                example(
                        "latest05-pre",
                        tag("v2.0.8-beta.67"),
                        List.of("type=ref,event=branch", "type=ref,event=tag"),
                        List.of(),
                        List.of("v2.0.8-beta.67", "latest")),
                example("push02", branch("master", MASTER_SHA), List.of("type=edge"), List.of(), List.of("edge")),
                example(
                        "push10",
                        branch("master", MASTER_SHA),
                        List.of("type=edge,branch=dev", "type=sha"),
                        List.of(),
                        List.of("sha-2665741")),
                example(
                        "push09",
                        branch("dev", SHA),
                        List.of("type=edge,branch=dev", "type=sha"),
                        List.of(),
                        List.of("edge", "sha-860c190")),
                example(
                        "pr01",
                        pr("15"),
                        List.of("type=ref,event=branch", "type=ref,event=tag", "type=ref,event=pr"),
                        List.of(),
                        List.of("pr-15")),
                example(
                        "pr03",
                        pr("15"),
                        List.of("type=ref,event=pr", "type=sha"),
                        List.of(),
                        List.of("pr-15", "sha-a9c8c58")),
                example(
                        "pr05",
                        pr("15"),
                        List.of("type=ref,event=pr"),
                        List.of("prefix=glo-", "suffix=-bal"),
                        List.of("pr-15-bal")),
                example(
                        "pr06",
                        pr("15"),
                        List.of("type=ref,event=pr,prefix="),
                        List.of("prefix=glo-", "suffix=-bal"),
                        List.of("15-bal")),
                example(
                        "push11",
                        branch("my/feature#1245", "983315b5"),
                        List.of("type=edge", "type=ref,event=branch"),
                        List.of(),
                        List.of("my-feature-1245")),
                example(
                        "push18",
                        branch("dev", SHA),
                        List.of("type=ref,event=branch", "type=sha,format=long"),
                        List.of(),
                        List.of("dev", "sha-" + SHA)),
                example(
                        "push17",
                        branch("master", MASTER_SHA),
                        List.of(
                                "type=raw,value=mytag-{{branch}}",
                                "type=raw,value=mytag-{{date 'YYYYMMDD'}}",
                                "type=raw,value=mytag-{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
                                "type=raw,value=mytag-tag-{{tag}}",
                                "type=raw,value=mytag-baseref-{{base_ref}}",
                                "type=raw,value=mytag-defbranch,enable={{is_default_branch}}"),
                        List.of(),
                        List.of(
                                "mytag-master",
                                "mytag-20200110",
                                "mytag-20200110-093000",
                                "mytag-tag-",
                                "mytag-baseref-",
                                "mytag-defbranch")),
                example(
                        "tag09",
                        tag("v2.0.8-beta.67"),
                        List.of(
                                "type=match,\"pattern=v(.*)-beta.(.*)\",group=1",
                                "type=match,\"pattern=v(.*)-beta.(.*)\",group=2"),
                        List.of(),
                        List.of("2.0.8", "67", "latest")),
                example(
                        "tag04",
                        tag("20200110-RC2"),
                        List.of("type=match,pattern=(.*)-RC,group=1"),
                        List.of("latest=false"),
                        List.of("20200110")),
                example(
                        "latest06",
                        tag("v2.0.8-beta.67"),
                        List.of("type=match,pattern=\\d.\\d.\\d"),
                        List.of(),
                        List.of("2.0.8", "latest")),
                example(
                        "tag18",
                        tag("p1/v1.0.0"),
                        List.of(
                                "type=match,\"pattern=p1/v(\\d.\\d.\\d)\",group=1",
                                "type=match,\"pattern=p1/v(\\d.\\d)\",group=1",
                                "type=match,\"pattern=p1/v(\\d.\\d)\",group=3",
                                "type=ref,event=pr",
                                "type=sha"),
                        List.of(),
                        List.of("1.0.0", "1.0", "sha-860c190", "latest")),
                example(
                        "push14",
                        branch("master", MASTER_SHA),
                        List.of("type=semver,pattern={{version}},value=v1.2.3", "type=edge"),
                        List.of(),
                        List.of("1.2.3", "edge", "latest")),
                example(
                        "tag15",
                        tag("v2.0.8-beta.67"),
                        List.of(
                                "type=raw,priority=2000,foo",
                                "type=semver,pattern={{version}}",
                                "type=match,pattern=\\d.\\d"),
                        List.of(),
                        List.of("foo", "2.0.8-beta.67", "2.0")),
                example(
                        "tag21",
                        tag("v1.1.1"),
                        List.of("type=semver,pattern={{version}}", "type=semver,pattern={{major}}.{{minor}}.{{patch}}"),
                        List.of("suffix=-dev,onlatest=true"),
                        List.of("1.1.1-dev", "latest-dev")),
                example(
                        "tag22",
                        tag("v1.1.1"),
                        List.of("type=semver,pattern={{version}}", "type=semver,pattern={{major}}.{{minor}}.{{patch}}"),
                        List.of("prefix=foo-,onlatest=true", "suffix=-dev,onlatest=true"),
                        List.of("foo-1.1.1-dev", "foo-latest-dev")),
                example(
                        "tag19",
                        tag("p1/v1.0.0"),
                        List.of(
                                "type=match,\"pattern=p1/v(\\d.\\d.\\d)\",group=1",
                                        "type=match,\"pattern=p1/v(\\d.\\d)\",group=1,suffix=",
                                "type=ref,event=pr", "type=sha"),
                        List.of("suffix=-dev"),
                        List.of("1.0.0-dev", "1.0", "sha-860c190-dev", "latest")),
                example(
                        "raw07",
                        branch("dev", SHA),
                        List.of("type=ref,priority=90,event=branch", "type=raw,my", "type=raw,custom", "type=raw,tags"),
                        List.of("latest=true"),
                        List.of("my", "custom", "tags", "dev", "latest")),
                example(
                        "raw09",
                        branch("dev", SHA),
                        List.of(
                                "type=match,pattern=\\d{8}",
                                "type=raw,my,prefix=foo-,suffix=-bar", "type=raw,custom", "type=raw,tags"),
                        List.of("latest=false", "prefix=glo-", "suffix=-bal"),
                        List.of("foo-my-bar", "glo-custom-bal", "glo-tags-bal")),
                example(
                        "push13",
                        branch("master", MASTER_SHA),
                        List.of("type=ref,priority=2000,event=branch", "type=edge"),
                        List.of(),
                        List.of("master", "edge")),
                example(
                        "push22",
                        branch("dev", SHA),
                        List.of(
                                "type=edge,branch=master",
                                "type=sha,format=long",
                                "type=raw,value=notdefbranch,enable={{is_not_default_branch}}"),
                        List.of(),
                        List.of("notdefbranch", "sha-" + SHA)),
                example("tag10", tag("sometag"), List.of("type=match,pattern=\\d.\\d"), List.of(), List.of()),
                example(
                        "tag20",
                        tag("v1.1.1"),
                        List.of(
                                "type=raw,value={{tag}}-{{sha}}-foo",
                                "type=raw,value=defbranch-foo,enable={{is_default_branch}}"),
                        List.of(),
                        List.of("v1.1.1-860c190-foo")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedExamples")
    void documentedExample(String id, GitState git, List<String> rules, List<String> flavor, List<String> tags) {
        ImageMetadata m = MetadataRules.parse(List.of(), rules, flavor).compute(git, NOW);
        assertThat(m.tags()).as(id).containsExactlyElementsOf(tags);
        assertThat(m.version()).isEqualTo(tags.isEmpty() ? "" : tags.get(0));
    }

    @Test
    void everyImageGetsEveryTagAndTheLabelsDescribeTheSource() {
        ImageMetadata m = MetadataRules.parse(
                        List.of("registry.example.com/Team/App", "docker.io/team/app"),
                        List.of("type=semver,pattern={{version}}", "type=semver,pattern={{major}}.{{minor}}"),
                        List.of())
                .compute(tag("v1.1.1"), NOW);
        assertThat(m.tags())
                .containsExactly(
                        "registry.example.com/team/app:1.1.1",
                        "registry.example.com/team/app:1.1",
                        "registry.example.com/team/app:latest",
                        "docker.io/team/app:1.1.1",
                        "docker.io/team/app:1.1",
                        "docker.io/team/app:latest");
        assertThat(m.labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "org.opencontainers.image.created", "2020-01-10T00:30:00.000Z",
                        "org.opencontainers.image.revision", SHA,
                        "org.opencontainers.image.source", "https://github.com/octocat/Hello-World",
                        "org.opencontainers.image.url", "https://github.com/octocat/Hello-World",
                        "org.opencontainers.image.title", "Hello-World",
                        "org.opencontainers.image.version", "1.1.1"));
    }

    @Test
    void jenkinsEnvironmentsDescribeBranchesPullRequestsAndTags() {
        GitState multibranchPr = GitState.fromEnvironment(
                Map.of("BRANCH_NAME", "PR-15", "CHANGE_ID", "15", "CHANGE_TARGET", "main", "GIT_COMMIT", SHA), null);
        assertThat(multibranchPr.pullRequest()).isEqualTo("15");
        assertThat(multibranchPr.branch()).isNull();
        assertThat(multibranchPr.baseRef()).isEqualTo("main");
        GitState tagBuild = GitState.fromEnvironment(Map.of("BRANCH_NAME", "v1.2.3", "TAG_NAME", "v1.2.3"), null);
        assertThat(tagBuild.tag()).isEqualTo("v1.2.3");
        assertThat(tagBuild.branch()).isNull();
        GitState freestyle = GitState.fromEnvironment(
                Map.of("GIT_BRANCH", "origin/feature/x", "GIT_URL", "git@github.com:team/app.git"), "develop");
        assertThat(freestyle.branch()).isEqualTo("feature/x");
        assertThat(freestyle.defaultBranch()).isEqualTo("develop");
        assertThat(freestyle.repositoryWebUrl()).isEqualTo("https://github.com/team/app");
        assertThat(freestyle.repositoryName()).isEqualTo("app");
        assertThat(GitState.fromEnvironment(Map.of("GIT_URL", "https://user:token@example.com/a/b.git"), null)
                        .repositoryWebUrl())
                .as("no credentials in labels")
                .isEqualTo("https://example.com/a/b");
        assertThat(MetadataRules.parse(List.of(), List.of("type=ref,event=branch"), List.of())
                        .compute(freestyle, NOW)
                        .tags())
                .containsExactly("feature-x");
    }

    @Test
    void mistakesNameTheRuleAndTheFix() {
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=semver"), List.of()))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessage("tagRules: 'type=semver': type=semver needs pattern=…, e.g. pattern={{major}}.{{minor}}");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=ref", "type=sha"), List.of()))
                .hasMessage("tagRules[0]: 'type=ref': type=ref needs event=branch, event=tag or event=pr");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=schedule"), List.of()))
                .hasMessageContaining("unknown rule type 'schedule'");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=sha,format=medium"), List.of()))
                .hasMessageContaining("format=medium is not short or long");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=edge,event=tag"), List.of()))
                .hasMessageContaining("type=edge has no attribute 'event'");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=match,pattern=(x"), List.of()))
                .hasMessageContaining("is not a regular expression");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=sha"), List.of("latest=maybe")))
                .hasMessage("flavor: latest=maybe is not auto, true or false");
        assertThatThrownBy(() -> MetadataRules.parse(List.of("team/app:1"), List.of("type=sha"), List.of()))
                .hasMessageStartingWith("images: 'team/app:1' is not an image name without a tag");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of(), List.of()))
                .hasMessageStartingWith("tagRules: give at least one rule");
        assertThatThrownBy(() -> MetadataRules.parse(List.of(), List.of("type=raw,value=x,enable=yes"), List.of())
                        .compute(tag("v1"), NOW))
                .hasMessageContaining("not true or false");
    }
}
