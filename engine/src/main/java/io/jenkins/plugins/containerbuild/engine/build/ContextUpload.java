package io.jenkins.plugins.containerbuild.engine.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams the context tar into the request body as it is produced: a writer thread fills a small
 * pipe that the HTTP client drains, so the context is never whole in memory nor in a temp file.
 * A failure of the writer surfaces on the reading side, aborting the request.
 */
public final class ContextUpload implements AutoCloseable {
    private static final int PIPE_BYTES = 256 * 1024;

    /** Writes a tar archive to a stream and returns the bytes written. */
    @FunctionalInterface
    public interface TarWriter {
        long writeTo(OutputStream out) throws IOException;
    }

    private final PipedInputStream pipeIn;
    private final Thread writerThread;
    private final AtomicReference<IOException> writerFailure = new AtomicReference<>();
    private final AtomicLong bytes = new AtomicLong();
    private final InputStream body;

    private ContextUpload(String buildId, TarWriter writer) throws IOException {
        this.pipeIn = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
        this.writerThread = new Thread(
                () -> {
                    try {
                        bytes.set(writer.writeTo(pipeOut));
                    } catch (IOException e) {
                        writerFailure.set(e);
                    } catch (RuntimeException | Error e) {
                        writerFailure.set(new IOException(e.toString(), e));
                    } finally {
                        // On failure the reader must not see a clean end of stream (a cut tar can look complete):
                        // the failure is recorded first, so the reader raises it at the end of the pipe.
                        closeQuietly(pipeOut);
                    }
                },
                "container-build-context-" + buildId);
        writerThread.setDaemon(true);
        this.body = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = pipeIn.read(b, off, len);
                if (n < 0) {
                    joinWriter();
                    IOException failure = writerFailure.get();
                    if (failure != null) {
                        throw new IOException("could not send the build context: " + failure.getMessage(), failure);
                    }
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                pipeIn.close();
            }
        };
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // the reader has gone; nothing to tell it
        }
    }

    /** Starts writing the context on its own thread. */
    public static ContextUpload start(String buildId, TarWriter writer) throws IOException {
        ContextUpload upload = new ContextUpload(buildId, writer);
        upload.writerThread.start();
        return upload;
    }

    /** The request body. */
    public InputStream body() {
        return body;
    }

    /** Bytes of tar written so far (final once the body has been read to its end). */
    public long bytesSent() {
        return bytes.get();
    }

    /** The writer's failure, if it failed. */
    public IOException failure() {
        return writerFailure.get();
    }

    private void joinWriter() {
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the writer (if the request ended early) and waits for its thread to end. */
    @Override
    public void close() {
        try {
            pipeIn.close();
        } catch (IOException e) {
            // closing a pipe cannot meaningfully fail
        }
        joinWriter();
    }
}
