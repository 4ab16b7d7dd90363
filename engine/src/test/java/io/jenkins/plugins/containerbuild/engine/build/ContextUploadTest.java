package io.jenkins.plugins.containerbuild.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ContextUploadTest {

    /** Reads the body to its end, as the HTTP client does. */
    private static long drain(InputStream body) throws IOException {
        long n = 0;
        byte[] buf = new byte[8192];
        for (int r = body.read(buf); r >= 0; r = body.read(buf)) {
            n += r;
        }
        return n;
    }

    @Test
    void aCompleteArchiveEndsTheBodyAndCountsItsBytes() throws Exception {
        try (ContextUpload upload = ContextUpload.start("t1", out -> {
            out.write(new byte[100_000]);
            return 100_000;
        })) {
            assertThat(drain(upload.body())).isEqualTo(100_000);
            assertThat(upload.bytesSent()).isEqualTo(100_000);
            assertThat(upload.failure()).isNull();
        }
    }

    @Test
    void aWriterFailingWithAnUncheckedExceptionNeverLooksLikeTheEndOfTheArchive() throws IOException {
        // Before: only IOException was caught, the pipe closed normally and the daemon got a cut tar.
        try (ContextUpload upload = ContextUpload.start("t2", out -> {
            out.write(new byte[10_000]);
            throw new java.nio.file.InvalidPathException("caf\uFFFD.txt", "malformed input");
        })) {
            assertThatThrownBy(() -> drain(upload.body()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("could not send the build context: ")
                    .hasMessageContaining("caf\uFFFD.txt");
            assertThat(upload.failure()).isNotNull();
        }
    }

    @Test
    void aWriterFailingWithAnIoExceptionIsRaisedAtTheEndOfTheBody() throws IOException {
        try (ContextUpload upload = ContextUpload.start("t3", out -> {
            out.write(new byte[300_000]); // more than the pipe holds: the reader is already reading
            throw new IOException("cannot read /ws/app/x: permission denied");
        })) {
            assertThatThrownBy(() -> drain(upload.body()))
                    .isInstanceOf(IOException.class)
                    .hasMessage("could not send the build context: cannot read /ws/app/x: permission denied");
        }
    }
}
