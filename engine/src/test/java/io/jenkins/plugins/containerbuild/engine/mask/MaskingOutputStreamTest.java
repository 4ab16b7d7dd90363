package io.jenkins.plugins.containerbuild.engine.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jenkins.plugins.containerbuild.engine.api.ImageReference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The console masking the plugin wraps its build logs in (the same rules as the engine's progress masking), and
 * the registry host rule ({@link ImageReference#host}) that registry credentials are resolved for.
 */
class MaskingOutputStreamTest {
    private static String through(List<byte[]> secrets, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream base = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream masked = MaskingOutputStream.wrap(base, SecretMasker.ofValues(secrets));
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
        List<byte[]> secrets =
                List.of("-----BEGIN KEY-----\nabcdefghij\n-----END KEY-----\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("| ****\n", through(secrets, "| abcdefghij\n"));
    }

    @Test
    void nothingToMaskLeavesTheStreamAlone() {
        PrintStream base = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertSame(base, MaskingOutputStream.wrap(base, SecretMasker.ofValues(List.of())));
    }

    private static String host(String ref) {
        return ImageReference.parse("tags", ref).host();
    }

    @Test
    void masksTheBase64FormAndAShortSecretLikeTheEngine() {
        List<byte[]> secrets =
                List.of("hunter2-password".getBytes(StandardCharsets.UTF_8), "ab".getBytes(StandardCharsets.UTF_8));
        String b64 = java.util.Base64.getEncoder().encodeToString("hunter2-password".getBytes(StandardCharsets.UTF_8));
        assertEquals("auth ****\nx****y\n", through(secrets, "auth " + b64 + "\nxaby\n"));
    }

    @Test
    void registryHostOfATag() {
        assertEquals("localhost:5000", host("localhost:5000/app:1"));
        assertEquals("registry.example.com", host("registry.example.com/team/app"));
        assertEquals("docker.io", host("team/app:1"));
        assertEquals("docker.io", host("app"));
    }
}
