package io.jenkins.plugins.containerbuild.engine.session;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The one Netty event-loop group every session of this JVM shares: created on first use, at most
 * two daemon threads named {@code buildkit-session-loop-N}, never shut down (it costs nothing when idle),
 * so the thread count stays flat however many sessions are opened and closed.
 */
final class SessionEventLoop {
    static final String THREAD_PREFIX = "buildkit-session-loop";
    private static volatile EventLoopGroup group;

    private SessionEventLoop() {}

    static EventLoopGroup group() {
        EventLoopGroup g = group;
        if (g == null) {
            synchronized (SessionEventLoop.class) {
                g = group;
                if (g == null) {
                    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
                    g = new MultiThreadIoEventLoopGroup(
                            threads, new DefaultThreadFactory(THREAD_PREFIX, true), NioIoHandler.newFactory());
                    group = g;
                }
            }
        }
        return g;
    }
}
