package io.jenkins.plugins.containerbuild.engine.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonProfile;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileCases.Case;
import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import io.jenkins.plugins.containerbuild.engine.testing.DockerCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real daemon agrees with the validator, told the daemon's frontend, on the table of
 * {@link DockerfileCases}: every Dockerfile the validator accepts (no ERROR) builds, and every one it
 * refuses fails with a Dockerfile error. Cases that need a registry, or that would crash dockerd 20.10 (no FROM), are
 * never sent. Runs against each test daemon (DOCKER_HOST) with that daemon's docker CLI.
 */
@Tag("daemon")
class DockerfileValidatorDaemonTest {
    private static final String TAG_PREFIX = "dockerfile-validator-test:case";
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> TAGS = new ArrayList<>();

    @TempDir
    static Path context;

    private static Frontend frontend;

    static Stream<Case> buildable() {
        return DockerfileCases.all().stream().filter(Case::buildable);
    }

    @BeforeAll
    static void context() throws IOException {
        Files.writeString(context.resolve("a"), "a\n");
        Files.createDirectories(context.resolve("dir"));
        Files.writeString(context.resolve("dir/b"), "b\n");
    }

    @BeforeEach
    void needsDaemonAndBaseImage() {
        Daemon.assumeAvailable();
        if (frontend == null) {
            DaemonProfile daemon = Daemon.profile();
            frontend = new Frontend(daemon.describe(), daemon.buildKitMinor());
        }
    }

    @AfterAll
    static void removeImages() throws Exception {
        if (!TAGS.isEmpty()) {
            List<String> command = new ArrayList<>(List.of(DockerCli.path(), "rmi", "--force"));
            command.addAll(TAGS);
            run(command, null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buildable")
    void theDaemonAgreesWithTheValidatorForItsFrontend(Case c) throws Exception {
        boolean accepted = DockerfileValidator.validate(c.dockerfile(), c.target(), frontend).stream()
                .noneMatch(DockerfileProblem::isError);
        assertThat(accepted)
                .as("the table's verdict on '%s' for %s", c.name(), frontend)
                .isEqualTo(c.expectedFor(frontend).stream()
                        .noneMatch(e -> e.severity() == DockerfileProblem.Severity.ERROR));
        String tag = TAG_PREFIX + Math.abs(c.name().hashCode());
        Result result = build(c, tag);
        TAGS.add(tag);

        if (accepted) {
            assertThat(result.exit)
                    .as("docker build of '%s' on %s failed:%n%s", c.name(), Daemon.name(), result.output)
                    .isZero();
            assertThat(result.output).contains("sha256:");
        } else {
            assertThat(result.exit)
                    .as(
                            "docker build of '%s' on %s succeeded but the validator refused it:%n%s",
                            c.name(), Daemon.name(), result.output)
                    .isNotZero();
            Daemon.client().ping(); // the daemon still answers
            assertThat(result.output.toLowerCase(Locale.ROOT))
                    .as("the failure of '%s' comes from the Dockerfile, not from the connection", c.name())
                    .contains("failed to solve")
                    .doesNotContain("cannot connect to the docker daemon");
        }
    }

    private static Result build(Case c, String tag) throws Exception {
        List<String> command = new ArrayList<>(List.of(DockerCli.path(), "build", "-q", "-t", tag));
        if (c.target() != null) {
            command.addAll(List.of("--target", c.target()));
        }
        command.addAll(List.of("-f", "-", context.toString()));
        return run(command, c.dockerfile());
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_BUILDKIT", "1");
        Process process = pb.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream s = process.getInputStream()) {
                s.transferTo(out);
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join(5000);
            throw new AssertionError(
                    String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + out);
        }
        reader.join(5000);
        return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
