package io.jenkins.plugins.containerbuild.agent;

import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Waits for an engine future so that an interrupt (the run was aborted: remoting interrupts the
 * agent thread) cancels the future, which for {@code BuildEngine.buildAsync} cancels the daemon's build.
 */
final class Await {
    private Await() {}

    /**
     * The future's value.
     *
     * @throws InterruptedException the run was aborted; the future has been cancelled
     * @throws BuildException       the build failed or was cancelled (engine exceptions are rethrown as they are)
     */
    static <T> T result(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (CancellationException e) {
            throw new BuildException("the build was cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new BuildException(String.valueOf(cause), cause);
        }
    }
}
