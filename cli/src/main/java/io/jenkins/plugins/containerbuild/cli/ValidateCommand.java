package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileProblem;
import io.jenkins.plugins.containerbuild.engine.dockerfile.DockerfileValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code container-build validate}: checks a Dockerfile without the daemon. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a Dockerfile without the daemon; exit 2 when it has errors.")
final class ValidateCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, defaultValue = "Dockerfile", description = "The Dockerfile (default: ${DEFAULT-VALUE})")
    Path file;

    @Option(names = "--target", description = "The stage the build would stop at")
    String target;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--file: " + file + " does not exist or is not a file");
        }
        List<DockerfileProblem> problems = DockerfileValidator.validate(file, target);
        for (DockerfileProblem p : problems) {
            System.out.println(file + (p.line() > 0 ? ":" + p.line() + ":" + p.column() : "") + ": "
                    + p.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + p.message());
        }
        long errors = problems.stream().filter(DockerfileProblem::isError).count();
        System.out.println(errors == 0 ? "ok (" + problems.size() + " warnings)" : errors + " errors, "
                + (problems.size() - errors) + " warnings");
        return errors == 0 ? 0 : Main.EXIT_BAD_INPUT;
    }
}
