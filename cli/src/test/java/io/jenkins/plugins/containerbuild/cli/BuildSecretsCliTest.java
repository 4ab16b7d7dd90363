package io.jenkins.plugins.containerbuild.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import io.jenkins.plugins.containerbuild.engine.api.SshKeySource;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code build --secret/--ssh/--registry-auth}: parsing, errors naming the option, and a real build. */
class BuildSecretsCliTest {
    private static final String BASE_IMAGE = "local/busybox:latest";

    @TempDir
    Path dir;

    @TempDir
    Path out;

    @TempDir
    Path keep;

    private static final Function<String, String> NO_ENV = k -> null;

    /** Runs the CLI with stdout and stderr captured; returns {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new Object[] {r.exit(), r.out(), r.err()};
    }

    private static void assumeDaemon() {
        DaemonEndpoint endpoint = DaemonEndpoint.fromEnvironment(System.getenv());
        try (DaemonClient c = new DaemonClient(endpoint, Duration.ofSeconds(5), Duration.ofSeconds(30), 2)) {
            c.ping();
            c.getJson("/images/" + BASE_IMAGE + "/json");
        } catch (RuntimeException e) {
            Assumptions.abort("no Docker daemon with " + BASE_IMAGE + " at " + endpoint + ": " + e.getMessage());
        }
    }

    @Test
    void aSecretFromAFileIsMaskedInTheOutputAndAbsentFromTheMetadataFile() throws Exception {
        assumeDaemon();
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String value = "cli-secret-" + HexFormat.of().formatHex(random);
        Path secretFile = keep.resolve("tok");
        Files.writeString(secretFile, value);
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM " + BASE_IMAGE + "\n"
                        + "RUN --mount=type=secret,id=tok echo \"the secret is $(cat /run/secrets/tok)\"\n");
        Path metadata = out.resolve("meta.json");
        Object[] r = run(
                "build",
                dir.toString(),
                "--secret",
                "id=tok,src=" + secretFile,
                "--progress",
                "plain",
                "--metadata-file",
                metadata.toString(),
                "--no-cache",
                "--backend",
                "buildkit");
        String stdout = (String) r[1];
        assertThat(r[0]).as("exit code; stderr: %s", r[2]).isEqualTo(0);
        assertThat(stdout).contains("the secret is ****").doesNotContain(value);
        assertThat((String) r[2]).doesNotContain(value);
        String meta = Files.readString(metadata);
        assertThat(meta).contains("\"imageId\":\"sha256:").doesNotContain(value);
        String imageId = meta.replaceAll("(?s).*\"imageId\":\"(sha256:[0-9a-f]+)\".*", "$1");
        try (DaemonClient c = new DaemonClient(
                DaemonEndpoint.fromEnvironment(System.getenv()), Duration.ofSeconds(5), Duration.ofSeconds(30), 2)) {
            c.delete("/images/" + imageId + "?force=1");
        }
    }

    @Test
    void badValuesExitWith2NamingTheOption() throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + BASE_IMAGE + "\n");
        String ctx = dir.toString();
        Map<String, String[]> cases = Map.of(
                "--secret", new String[] {"--secret", "id=tok"},
                "--ssh", new String[] {"--ssh", "k=" + dir.resolve("missing-key")},
                "--registry-auth", new String[] {"--registry-auth", "no-user-here"},
                "--registry-password-stdin", new String[] {"--registry-password-stdin"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String[] args = new String[c.getValue().length + 2];
            args[0] = "build";
            args[1] = ctx;
            System.arraycopy(c.getValue(), 0, args, 2, c.getValue().length);
            Object[] r = run(args);
            assertThat(r[0]).as("%s", List.of(args)).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat((String) r[2]).as("%s", List.of(args)).contains("error: " + c.getKey() + ":");
        }
    }

    @Test
    void secretSpecsInTheDockerAndBuildxForms() throws Exception {
        Path f = keep.resolve("s.txt");
        Files.writeString(f, "file-value");
        Function<String, String> env = Map.of("MY_VAR", "env-value", "tok2", "by-id")::get;
        Map<String, SecretSource> s = SecretOptions.secrets(
                List.of("id=a,src=" + f, "type=file,id=b,source=" + f, "id=c,env=MY_VAR", "type=env,id=tok2"), env);
        assertThat(s).containsOnlyKeys("a", "b", "c", "tok2");
        assertThat(s.get("a").describe()).isEqualTo("file " + f.toAbsolutePath());
        assertThat(s.get("b").describe()).isEqualTo("file " + f.toAbsolutePath());
        assertThat(s.get("c").describe()).isEqualTo("environment variable MY_VAR");
        assertThat(s.get("tok2").describe()).isEqualTo("environment variable tok2");
        for (String bad : List.of(
                "id=x",
                "src=" + f,
                "id=x,src=" + f + ",env=MY_VAR",
                "id=x,type=vault,src=" + f,
                "id=x,env=UNSET",
                "id=x,src=" + keep.resolve("nope"),
                "id=x,color=red",
                "id=a,src=" + f + ",")) {
            assertThatThrownBy(() -> SecretOptions.secrets(List.of(bad), env))
                    .as("%s", bad)
                    .isInstanceOf(InvalidBuildContextException.class)
                    .hasMessageStartingWith("--secret: ");
        }
        assertThatThrownBy(() -> SecretOptions.secrets(List.of("id=a,src=" + f, "id=a,env=MY_VAR"), env))
                .hasMessageContaining("given twice");
    }

    @Test
    void sshSpecs() throws Exception {
        Path key = keep.resolve("id_test");
        Files.writeString(key, "not parsed until the daemon asks");
        Map<String, SshKeySource> k = SecretOptions.sshKeys(
                List.of("default", "deploy=" + key),
                "PASS",
                Map.of("SSH_AUTH_SOCK", "/tmp/agent.sock", "PASS", "pw")::get);
        assertThat(k.get("default").agentSocket()).contains(Path.of("/tmp/agent.sock"));
        assertThat(k.get("deploy").privateKey()).isPresent();
        assertThat(k.get("deploy").passphrase()).isPresent();
        assertThatThrownBy(() -> SecretOptions.sshKeys(List.of("default"), null, NO_ENV))
                .isInstanceOf(InvalidBuildContextException.class)
                .hasMessageContaining("SSH_AUTH_SOCK is not set")
                .hasMessageStartingWith("--ssh: ");
        assertThatThrownBy(() -> SecretOptions.sshKeys(List.of("x=" + key + "," + key), null, NO_ENV))
                .hasMessageStartingWith("--ssh: ");
        assertThatThrownBy(() -> SecretOptions.sshKeys(List.of("x=" + key), "UNSET", NO_ENV))
                .hasMessageStartingWith("--ssh-passphrase-env: ");
    }

    @Test
    void registryPasswordFromStdinOrTheEnvironmentNeverFromAnArgument() throws Exception {
        List<RegistryCredentials> c = SecretOptions.registryAuth(
                List.of("127.0.0.1:5001=cbuser"),
                true,
                new ByteArrayInputStream("pass-from-stdin\r\nignored\n".getBytes(StandardCharsets.UTF_8)),
                NO_ENV);
        assertThat(c).hasSize(1);
        assertThat(c.get(0).host()).isEqualTo("127.0.0.1:5001");
        assertThat(c.get(0).username()).isEqualTo("cbuser");
        assertThat(new String(c.get(0).password().read(), StandardCharsets.UTF_8))
                .isEqualTo("pass-from-stdin");
        assertThat(c.get(0).toString()).doesNotContain("pass-from-stdin");

        List<RegistryCredentials> e = SecretOptions.registryAuth(
                List.of("r.example=ci"), false, null, Map.of(SecretOptions.REGISTRY_PASSWORD_ENV, "x")::get);
        assertThat(e.get(0).password().describe()).contains(SecretOptions.REGISTRY_PASSWORD_ENV);

        assertThatThrownBy(() -> SecretOptions.registryAuth(List.of("r.example=ci"), false, null, NO_ENV))
                .hasMessageStartingWith("--registry-auth: ")
                .hasMessageContaining(SecretOptions.REGISTRY_PASSWORD_ENV);
        assertThatThrownBy(() -> SecretOptions.registryAuth(
                        List.of("r.example=ci"), true, new ByteArrayInputStream(new byte[0]), NO_ENV))
                .hasMessageStartingWith("--registry-password-stdin: ");
        assertThatThrownBy(() -> SecretOptions.registryAuth(
                        List.of("a/b=ci"), false, null, Map.of(SecretOptions.REGISTRY_PASSWORD_ENV, "x")::get))
                .hasMessageStartingWith("--registry-auth: ");
    }
}
