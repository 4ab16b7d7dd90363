package io.jenkins.plugins.containerbuild.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The docker CLI that belongs to the run's daemon ({@code CB_TEST_DOCKER_CLI}, set per daemon by the Surefire
 * executions: Debian's 20.10 CLI, or the 26 CLI with its buildx plugin through {@code DOCKER_CONFIG}). It
 * inherits {@code DOCKER_HOST}, so it talks to the same daemon as the engine under test.
 */
public final class DockerCli {
    private DockerCli() {}

    /** The CLI's path; skips (in CI: fails) the calling test when it is not installed. */
    public static String path() {
        String cli = System.getenv().getOrDefault("CB_TEST_DOCKER_CLI", "/usr/bin/docker");
        Required.that(
                Files.isExecutable(Path.of(cli)),
                "the docker CLI " + cli + " of " + Daemon.name()
                        + " is not installed (run scripts/setup.sh and scripts/start-docker26.sh as root)");
        return cli;
    }
}
