package io.jenkins.plugins.containerbuild.agent;

import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for an engine future so that an interrupt (the run was aborted: remoting interrupts the
 * agent thread) or the step's timeout cancels the future, which cancels the daemon's build.
 */
final class Await {
    private Await() {
    }

    /**
     * The future's value.
     *
     * @throws InterruptedException the run was aborted; the build has been cancelled
     * @throws BuildException       the build failed, was cancelled or timed out
     */
    static <T> T result(CompletableFuture<T> future, Duration timeout) throws InterruptedException {
        try {
            return timeout == null ? future.get() : future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new BuildException("the build did not finish within the timeout of " + timeout
                    + "; it was cancelled");
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
