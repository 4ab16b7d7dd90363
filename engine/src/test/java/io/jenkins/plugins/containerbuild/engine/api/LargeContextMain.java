package io.jenkins.plugins.containerbuild.engine.api;

import io.jenkins.plugins.containerbuild.engine.testing.Daemon;
import java.nio.file.Path;

/** Run in a child JVM with a small heap: builds the context directory given as the first argument. */
public final class LargeContextMain {
    private LargeContextMain() {}

    public static void main(String[] args) {
        try (BuildEngine engine = BuildEngine.builder()
                .endpoint(Daemon.endpoint())
                .backend(Backend.BUILDKIT)
                .contextTransport(ContextTransport.valueOf(args[1]))
                .build()) {
            BuildResult r = engine.build(
                    BuildContext.builder().contextDir(Path.of(args[0])).build(), null);
            System.out.println("contextBytes=" + r.metrics().contextBytes());
            System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
        }
    }
}
