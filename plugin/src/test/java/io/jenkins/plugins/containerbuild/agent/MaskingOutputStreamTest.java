package io.jenkins.plugins.containerbuild.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jenkins.plugins.containerbuild.engine.steps.BuildRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plain unit tests (no Jenkins) of the console masking, and of the engine's registry host rule
 * ({@link BuildRequest#registryHost}) that registry credentials are resolved for.
 */
class MaskingOutputStreamTest {
    private static String through(List<byte[]> secrets, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream base = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream masked = MaskingOutputStream.wrap(base, secrets);
        masked.print(text);
        masked.close();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void masksEveryOccurrenceIncludingAPartialLastLine() {
        List<byte[]> secrets = List.of("s3cr3t".getBytes(StandardCharsets.UTF_8));
        assertEquals("token=**** and ****s\ntail ****", through(secrets, "token=s3cr3t and s3cr3ts\ntail s3cr3t"));
    }

    @Test
    void masksEachLineOfAMultiLineSecret() {
        List<byte[]> secrets = List.of("-----BEGIN KEY-----\nabcdefghij\n-----END KEY-----\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("| ****\n", through(secrets, "| abcdefghij\n"));
    }

    @Test
    void nothingToMaskLeavesTheStreamAlone() {
        PrintStream base = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertSame(base, MaskingOutputStream.wrap(base, List.of()));
    }

    @Test
    void registryHostOfATag() {
        assertEquals("localhost:5000", BuildRequest.registryHost("localhost:5000/app:1"));
        assertEquals("registry.example.com", BuildRequest.registryHost("registry.example.com/team/app"));
        assertEquals("docker.io", BuildRequest.registryHost("team/app:1"));
        assertEquals("docker.io", BuildRequest.registryHost("app"));
    }
}
