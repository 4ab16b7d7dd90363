package io.jenkins.plugins.containerbuild.engine.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileCases.Case;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real daemon agrees with the validator on the table of {@link DockerfileCases}: every
 * Dockerfile the validator accepts (no ERROR) builds, and every one it refuses fails with a
 * Dockerfile error. Cases that need a registry, or that would crash dockerd 20.10 (no FROM), are
 * never sent. Skipped when no daemon answers on /var/run/docker.sock.
 */
class DockerfileValidatorDaemonTest {
    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    private static final String DOCKER = "/usr/bin/docker";
    private static final String TAG_PREFIX = "dockerfile-validator-test:case";
    private static final long TIMEOUT_SECONDS = 60;
    private static final List<String> TAGS = new ArrayList<>();

    @TempDir
    static Path context;

    static Stream<Case> accepted() {
        return DockerfileCases.all().stream().filter(Case::buildable).filter(Case::accepted);
    }

    static Stream<Case> refused() {
        return DockerfileCases.all().stream().filter(Case::buildable).filter(c -> !c.accepted());
    }

    @BeforeAll
    static void context() throws IOException {
        Files.writeString(context.resolve("a"), "a\n");
        Files.createDirectories(context.resolve("dir"));
        Files.writeString(context.resolve("dir/b"), "b\n");
    }

    @BeforeEach
    void needsDaemonAndBaseImage() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(DOCKER)), DOCKER + " (Debian docker CLI with BuildKit) is not installed");
        Assumptions.assumeTrue(daemonAnswers(), "no Docker daemon answers on unix://" + SOCKET
                + " (start one with scripts/start-dockerd.sh)");
        Assumptions.assumeTrue(run(List.of(DOCKER, "image", "inspect", "local/busybox:latest"), null).exit == 0,
                "the base image local/busybox:latest is missing (create it with scripts/make-base-images.sh)");
    }

    @AfterAll
    static void removeImages() throws Exception {
        if (!TAGS.isEmpty() && daemonAnswers()) {
            List<String> command = new ArrayList<>(List.of(DOCKER, "rmi", "--force"));
            command.addAll(TAGS);
            run(command, null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void dockerfilesTheValidatorAcceptsBuild(Case c) throws Exception {
        assertThat(DockerfileValidator.validate(c.dockerfile(), c.target())).noneMatch(DockerfileProblem::isError);
        String tag = TAG_PREFIX + Math.abs(c.name().hashCode());
        Result result = build(c, tag);
        TAGS.add(tag);

        assertThat(result.exit).as("docker build of '%s' failed:%n%s", c.name(), result.output).isZero();
        assertThat(result.output).contains("sha256:");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void dockerfilesTheValidatorRefusesFailToBuild(Case c) throws Exception {
        assertThat(DockerfileValidator.validate(c.dockerfile(), c.target())).anyMatch(DockerfileProblem::isError);
        String tag = TAG_PREFIX + Math.abs(c.name().hashCode());
        Result result = build(c, tag);
        TAGS.add(tag);

        assertThat(result.exit).as("docker build of '%s' succeeded but the validator refused it:%n%s",
                c.name(), result.output).isNotZero();
        assertThat(daemonAnswers()).as("the daemon still answers after '%s'", c.name()).isTrue();
        assertThat(result.output.toLowerCase(Locale.ROOT))
                .as("the failure of '%s' comes from the Dockerfile, not from the connection", c.name())
                .contains("failed to solve")
                .doesNotContain("cannot connect to the docker daemon");
    }

    private static Result build(Case c, String tag) throws Exception {
        List<String> command = new ArrayList<>(List.of(DOCKER, "build", "-q", "-t", tag));
        if (c.target() != null) {
            command.addAll(List.of("--target", c.target()));
        }
        command.addAll(List.of("-f", "-", context.toString()));
        return run(command, c.dockerfile());
    }

    private record Result(int exit, String output) {
    }

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
            throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s:\n" + out);
        }
        reader.join(5000);
        return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    private static boolean daemonAnswers() {
        if (!Files.exists(SOCKET)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(SOCKET));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(512);
            int n = channel.read(buffer);
            String response = n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.US_ASCII) : "";
            return response.startsWith("HTTP/1.") && response.contains(" 200 ");
        } catch (IOException e) {
            return false;
        }
    }
}
