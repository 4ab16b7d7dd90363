package io.jenkins.plugins.containerbuild.engine.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Session shared keys: one per client node and context directory, the same from one build to the next. */
final class SharedKeys {
    private SharedKeys() {}

    /** The host name and user, hashed: stable across JVMs of one agent, without writing any file. */
    static String defaultNodeId() {
        String host = null;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        if (host == null || host.isEmpty()) {
            host = System.getenv().getOrDefault("HOSTNAME", System.getenv().getOrDefault("COMPUTERNAME", "localhost"));
        }
        return sha256(host + "\0" + System.getProperty("user.name", "") + "\0" + System.getProperty("user.home", ""));
    }

    /** The shared key for a context directory: {@code sha256(nodeId + absolute real path)}. */
    static String forDirectory(String nodeId, Path dir) throws IOException {
        return sha256(nodeId + "\0" + dir.toRealPath());
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
