package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meta} prints the rules' tags and labels for a real git checkout; {@code build --meta-*} applies them. */
class MetaCommandTest {
    @TempDir
    Path dir;

    private String git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private String checkoutOfTag(String tag) throws Exception {
        git("init", "-q", "-b", "main");
        git("config", "user.email", "ci@example.com");
        git("config", "user.name", "CI");
        git("remote", "add", "origin", "https://github.com/team/app.git");
        Files.writeString(dir.resolve("Dockerfile"), "FROM local/busybox:latest\n");
        git("add", "Dockerfile");
        git("commit", "-q", "-m", "first");
        git("tag", tag);
        git("checkout", "-q", "--detach", tag);
        return git("rev-parse", "HEAD");
    }

    @Test
    void metaPrintsTheTagsAndLabelsOfTheCheckout() throws Exception {
        String sha = checkoutOfTag("v3.1.4");
        CliRun r = CliRun.of(
                "meta",
                "--git",
                dir.toString(),
                "--image",
                "registry.example.com/team/app",
                "--tag",
                "type=semver,pattern={{version}}",
                "--tag",
                "type=semver,pattern={{major}}.{{minor}}",
                "--tag",
                "type=sha");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonValue out = Json.parse(r.out());
        assertThat(out.path("tags").size()).isEqualTo(4);
        assertThat(out.path("tags").get(0).asText()).isEqualTo("registry.example.com/team/app:3.1.4");
        assertThat(out.path("tags").get(1).asText()).isEqualTo("registry.example.com/team/app:3.1");
        assertThat(out.path("tags").get(2).asText())
                .isEqualTo("registry.example.com/team/app:sha-" + sha.substring(0, 7));
        assertThat(out.path("tags").get(3).asText()).isEqualTo("registry.example.com/team/app:latest");
        assertThat(out.path("labels").path("org.opencontainers.image.revision").asText())
                .isEqualTo(sha);
        assertThat(out.path("labels").path("org.opencontainers.image.title").asText())
                .isEqualTo("app");

        CliRun bad = CliRun.of("meta", "--git", dir.toString(), "--tag", "type=semver");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("type=semver needs pattern=").doesNotContain("at io.jenkins");
    }

    @Test
    void buildTakesTheRulesBesideLiteralTags() throws Exception {
        checkoutOfTag("v1.0.0");
        BuildCommand cmd = new BuildCommand();
        new CommandLine(cmd)
                .parseArgs(
                        "-t",
                        "local/app:dev",
                        "--meta-image",
                        "registry.example.com/team/app",
                        "--meta-tag",
                        "type=semver,pattern={{major}}",
                        "--meta-flavor",
                        "latest=false",
                        dir.toString());
        BuildContext ctx = cmd.toContext();
        assertThat(ctx.tags()).containsExactly("local/app:dev", "registry.example.com/team/app:1");
        assertThat(ctx.labels()).containsEntry("org.opencontainers.image.version", "1");
    }
}
