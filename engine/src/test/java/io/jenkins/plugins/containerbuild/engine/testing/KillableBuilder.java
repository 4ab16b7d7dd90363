package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import java.io.IOException;
import java.nio.file.Path;

/** A builder process a test owns, so that it may kill it and start it again. */
public interface KillableBuilder extends AutoCloseable {
    /** SIGKILL: the builder dies at once, as the OOM killer would kill it. */
    void kill() throws InterruptedException;

    /** Starts the process (again, on the same state) and waits until it answers. */
    void start() throws IOException, InterruptedException;

    /** An engine on this builder that writes its history to {@code historyFile}. */
    BuildEngine engine(Path historyFile);

    @Override
    void close();
}
