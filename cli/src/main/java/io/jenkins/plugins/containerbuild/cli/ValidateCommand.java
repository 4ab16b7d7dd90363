package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileValidator;
import io.jenkins.plugins.containerbuild.engine.dockerfile.Frontend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code container-build validate}: checks a Dockerfile without the daemon. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check a Dockerfile without the daemon; exit 2 when it has errors.")
final class ValidateCommand implements Callable<Integer> {
    @Option(
            names = {"-f", "--file"},
            defaultValue = "Dockerfile",
            description = "The Dockerfile (default: ${DEFAULT-VALUE})")
    Path file;

    @Option(names = "--target", description = "The stage the build would stop at")
    String target;

    @Option(
            names = "--buildkit",
            defaultValue = "0.8",
            paramLabel = "VERSION",
            description = "The BuildKit release whose built-in Dockerfile frontend will build it, e.g. 0.13 for"
                    + " Docker Engine 26 (default: ${DEFAULT-VALUE}, dockerd 20.10's; 'build' checks against the"
                    + " daemon's own)")
    String buildKit;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--file: " + file + " does not exist or is not a file");
        }
        List<DockerfileProblem> problems = DockerfileValidator.validate(file, target, frontend());
        for (DockerfileProblem p : problems) {
            System.out.println(file + (p.line() > 0 ? ":" + p.line() + ":" + p.column() : "") + ": "
                    + p.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + p.message());
        }
        long errors = problems.stream().filter(DockerfileProblem::isError).count();
        System.out.println(
                errors == 0
                        ? "ok (" + problems.size() + " warnings)"
                        : errors + " errors, " + (problems.size() - errors) + " warnings");
        return errors == 0 ? 0 : Main.EXIT_BAD_INPUT;
    }

    private Frontend frontend() {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("v?0\\.(\\d{1,3})(\\.\\d+)?").matcher(buildKit.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--buildkit: '" + buildKit + "' is not a BuildKit v0 release; write"
                    + " e.g. 0.13 (Docker Engine 26) or 0.8 (dockerd 20.10)");
        }
        int minor = Integer.parseInt(m.group(1));
        return minor == Frontend.DOCKERD_20_10.buildKitMinor()
                ? Frontend.DOCKERD_20_10
                : new Frontend("BuildKit v0." + minor, minor);
    }
}
