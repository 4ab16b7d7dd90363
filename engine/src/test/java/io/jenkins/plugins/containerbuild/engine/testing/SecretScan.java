package io.jenkins.plugins.containerbuild.engine.testing;

import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a secret's bytes (as given, and base64-encoded) turn up: files written, console lines, an exception with its
 * causes and stack trace. Tests assert the answer is empty.
 */
public final class SecretScan {
    private SecretScan() {}

    /** A fresh random printable secret, so that no earlier run or other build could hold it. */
    public static byte[] randomSecret() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return ("s3cr3t-" + HexFormat.of().formatHex(random)).getBytes(StandardCharsets.US_ASCII);
    }

    /** The forms looked for: the bytes, and their base64. */
    public static List<byte[]> forms(byte[] secret) {
        return List.of(secret, Base64.getEncoder().encode(secret));
    }

    /** The regular files under {@code roots} (files or directories; missing ones skipped) holding the secret. */
    public static List<String> filesHolding(List<Path> roots, byte[] secret) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    if (holds(Files.readAllBytes(p), secret)) {
                        found.add(p.toString());
                    }
                }
            }
        }
        return found;
    }

    /** The progress events (step names and messages) holding the secret, as text. */
    public static List<String> eventsHolding(List<BuildProgress> events, byte[] secret) {
        return events.stream()
                .map(e -> e.vertexName() + "\n" + e.message())
                .filter(t -> holds(t.getBytes(StandardCharsets.UTF_8), secret))
                .toList();
    }

    /** Whether the failure's messages, causes, {@code toString} or stack trace hold the secret. */
    public static boolean failureHolds(Throwable failure, byte[] secret) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return holds((failure + "\n" + trace).getBytes(StandardCharsets.UTF_8), secret);
    }

    public static boolean holds(byte[] hay, byte[] secret) {
        return forms(secret).stream().anyMatch(f -> Images.indexOf(hay, f) >= 0);
    }
}
