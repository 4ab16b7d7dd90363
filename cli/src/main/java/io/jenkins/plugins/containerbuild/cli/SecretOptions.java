package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.api.SshKeySource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses {@code --secret}, {@code --ssh} and {@code --registry-auth} into engine sources. Secret values are never
 * taken from an argument and never held in a {@code String} here: files and variables are named, and read by the
 * engine only when the daemon asks; a registry password from standard input is kept as bytes.
 */
final class SecretOptions {
    /** The variable a registry password is read from (unless {@code --registry-password-stdin}). */
    static final String REGISTRY_PASSWORD_ENV = "CONTAINER_BUILD_REGISTRY_PASSWORD";

    private SecretOptions() {}

    /**
     * {@code id=ID,src=FILE}, {@code id=ID,env=VAR}, and the docker buildx forms {@code type=file,id=ID,src=FILE}
     * ({@code source=} too) and {@code type=env,id=ID[,env=VAR]} (the variable defaults to the id).
     */
    static Map<String, SecretSource> secrets(List<String> values, Function<String, String> env) {
        Map<String, SecretSource> out = new LinkedHashMap<>();
        for (String value : values) {
            Map<String, String> kv = fields("--secret", value, List.of("id", "type", "src", "source", "env"));
            String id = kv.get("id");
            if (id == null || id.isEmpty()) {
                throw bad("--secret", value, "needs id=ID");
            }
            String type = kv.get("type");
            String src = kv.containsKey("src") ? kv.get("src") : kv.get("source");
            String var = kv.get("env");
            if (type == null) {
                if (src != null && var != null) {
                    throw bad("--secret", value, "give either src=FILE or env=VAR, not both");
                }
                type = src != null ? "file" : var != null ? "env" : null;
                if (type == null) {
                    throw bad("--secret", value, "needs src=FILE or env=VAR");
                }
            }
            SecretSource source;
            switch (type) {
                case "file" -> {
                    if (src == null || src.isEmpty() || var != null) {
                        throw bad("--secret", value, "type=file needs src=FILE (and no env=)");
                    }
                    Path file = Path.of(src).toAbsolutePath();
                    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                        throw bad("--secret", value, "file " + file + " does not exist or is not readable");
                    }
                    source = SecretSource.fromFile(file);
                }
                case "env" -> {
                    if (src != null) {
                        throw bad("--secret", value, "type=env takes env=VAR, not src=");
                    }
                    String name = var == null || var.isEmpty() ? id : var;
                    if (env.apply(name) == null) {
                        throw bad("--secret", value, "environment variable " + name + " is not set");
                    }
                    source = SecretSource.fromEnv(name);
                }
                default -> throw bad("--secret", value, "type must be file or env, got '" + type + "'");
            }
            if (out.putIfAbsent(id, source) != null) {
                throw bad("--secret", value, "id '" + id + "' is given twice");
            }
        }
        return out;
    }

    /**
     * {@code default} or {@code ID} (the caller's ssh-agent from {@code SSH_AUTH_SOCK}), {@code ID=KEYFILE} (a
     * private key, unencrypted or with the passphrase from {@code --ssh-passphrase-env}) or {@code ID=SOCKET} (an
     * agent's socket).
     */
    static Map<String, SshKeySource> sshKeys(List<String> values, String passphraseEnv, Function<String, String> env) {
        Map<String, SshKeySource> out = new LinkedHashMap<>();
        SecretSource passphrase = null;
        if (passphraseEnv != null) {
            if (env.apply(passphraseEnv) == null) {
                throw new InvalidBuildContextException(
                        "--ssh-passphrase-env", "environment variable " + passphraseEnv + " is not set");
            }
            passphrase = SecretSource.fromEnv(passphraseEnv);
        }
        for (String value : values) {
            int eq = value.indexOf('=');
            String id = eq < 0 ? value : value.substring(0, eq);
            if (id.isEmpty()) {
                throw bad("--ssh", value, "needs an id: default, ID or ID=KEYFILE");
            }
            SshKeySource source;
            if (eq < 0) {
                String sock = env.apply("SSH_AUTH_SOCK");
                if (sock == null || sock.isEmpty()) {
                    throw bad("--ssh", value, "SSH_AUTH_SOCK is not set: start an ssh-agent, or give ID=KEYFILE");
                }
                source = SshKeySource.ofAgentSocket(Path.of(sock));
            } else {
                String[] paths = value.substring(eq + 1).split(",");
                if (paths.length != 1 || paths[0].isEmpty()) {
                    throw bad(
                            "--ssh",
                            value,
                            "give exactly one key file or agent socket per id" + " (use one --ssh ID=KEYFILE per key)");
                }
                Path path = Path.of(paths[0]).toAbsolutePath();
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(path, BasicFileAttributes.class);
                } catch (IOException e) {
                    throw bad("--ssh", value, path + " does not exist or cannot be read");
                }
                if (attrs.isOther()) {
                    source = SshKeySource.ofAgentSocket(path); // a unix socket: an agent
                } else if (attrs.isRegularFile() && Files.isReadable(path)) {
                    source = SshKeySource.ofPrivateKey(SecretSource.fromFile(path), passphrase);
                } else {
                    throw bad("--ssh", value, path + " is neither a readable key file nor an agent socket");
                }
            }
            if (out.putIfAbsent(id, source) != null) {
                throw bad("--ssh", value, "id '" + id + "' is given twice");
            }
        }
        return out;
    }

    /**
     * {@code HOST=USER}, the password from {@code CONTAINER_BUILD_REGISTRY_PASSWORD} or, with {@code fromStdin}, the
     * first line of standard input (read once, shared by every host).
     */
    static List<RegistryCredentials> registryAuth(
            List<String> values, boolean fromStdin, InputStream stdin, Function<String, String> env) {
        if (values.isEmpty()) {
            if (fromStdin) {
                throw new InvalidBuildContextException("--registry-password-stdin", "needs --registry-auth HOST=USER");
            }
            return List.of();
        }
        SecretSource password;
        if (fromStdin) {
            byte[] bytes = readPassword(stdin);
            try {
                if (bytes.length == 0) {
                    throw new InvalidBuildContextException("--registry-password-stdin", "standard input is empty");
                }
                password = SecretSource.ofBytes(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } else {
            if (env.apply(REGISTRY_PASSWORD_ENV) == null) {
                throw new InvalidBuildContextException(
                        "--registry-auth",
                        "the password is read from the environment"
                                + " variable " + REGISTRY_PASSWORD_ENV + " (not set) or from standard input with"
                                + " --registry-password-stdin; it is never taken from an argument");
            }
            password = SecretSource.fromEnv(REGISTRY_PASSWORD_ENV);
        }
        List<RegistryCredentials> out = new java.util.ArrayList<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw bad("--registry-auth", value, "must look like HOST=USER, e.g. registry.example.com=ci");
            }
            try {
                out.add(new RegistryCredentials(value.substring(0, eq), value.substring(eq + 1), password));
            } catch (InvalidBuildContextException e) {
                throw new InvalidBuildContextException("--registry-auth", "'" + value + "': " + e.getMessage());
            }
        }
        return out;
    }

    /** The first line of {@code in} as bytes, without its line break; every buffer it grew out of is zeroed. */
    private static byte[] readPassword(InputStream in) {
        byte[] buf = new byte[256];
        int n = 0;
        try {
            for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                if (n == buf.length) {
                    byte[] bigger = Arrays.copyOf(buf, n * 2);
                    Arrays.fill(buf, (byte) 0);
                    buf = bigger;
                }
                buf[n++] = (byte) b;
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            return Arrays.copyOf(buf, n);
        } catch (IOException e) {
            throw new InvalidBuildContextException(
                    "--registry-password-stdin", "cannot read standard input: " + e.getMessage());
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    /** Splits {@code k=v,k=v}; unknown keys are an error naming the option. */
    private static Map<String, String> fields(String option, String value, List<String> known) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : value.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw bad(option, value, "'" + part + "' must look like KEY=VALUE");
            }
            String k = part.substring(0, eq).trim();
            if (!known.contains(k)) {
                throw bad(option, value, "unknown key '" + k + "'; known: " + String.join(", ", known));
            }
            kv.put(k, part.substring(eq + 1).trim());
        }
        return kv;
    }

    private static InvalidBuildContextException bad(String option, String value, String problem) {
        return new InvalidBuildContextException(option, "'" + value + "': " + problem);
    }
}
