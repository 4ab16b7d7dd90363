package io.jenkins.plugins.containerbuild.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.CredentialRef;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jenkinsci.plugins.docker.commons.credentials.DockerServerCredentials;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves the credential ids of a build request against the credentials store, in the context of
 * the run (so folder credentials and the run's authentication apply), records their use on the run
 * and turns their values into the engine's {@link ResolvedCredentials} (bytes, never strings).
 *
 * <ul>
 * <li>{@code secrets}: {@link StringCredentials} (the text, UTF-8) or {@link FileCredentials} (the file's bytes)</li>
 * <li>{@code sshKeys}: {@link SSHUserPrivateKey} (the first private key and its passphrase)</li>
 * <li>{@code registryCredentialsId}: {@link StandardUsernamePasswordCredentials}, for the registry host
 *     given by {@code registryHost}, or else for every registry host of the tags and {@code cacheFrom}
 *     ({@link BuildSpec#registryHosts()})</li>
 * </ul>
 * A missing id, or an id of another type, ends the build with an {@link AbortException} naming
 * the id and the expected type.
 */
public final class CredentialResolver {
    private final Run<?, ?> run;

    public CredentialResolver(Run<?, ?> run) {
        this.run = run;
    }

    /** The secret material of {@code request}'s credentials. The caller {@link ResolvedCredentials#destroy()}s it. */
    public ResolvedCredentials resolve(BuildSpec request) throws IOException {
        ResolvedCredentials.Builder b = ResolvedCredentials.builder();
        boolean done = false;
        try {
            for (CredentialRef ref : request.secrets()) {
                byte[] value = secretBytes(ref.credentialsId());
                try {
                    b.secret(ref.id(), value);
                } finally {
                    Arrays.fill(value, (byte) 0);
                }
            }
            for (CredentialRef ref : request.sshKeys()) {
                SSHUserPrivateKey key = find(ref.credentialsId(), SSHUserPrivateKey.class, BuildSshKey.EXPECTED);
                List<String> keys = key.getPrivateKeys();
                if (keys.isEmpty()) {
                    throw new AbortException("Credentials '" + ref.credentialsId() + "' hold no private key");
                }
                Secret passphrase = key.getPassphrase();
                byte[] pass =
                        passphrase == null ? null : passphrase.getPlainText().getBytes(StandardCharsets.UTF_8);
                if (pass != null && pass.length == 0) {
                    pass = null;
                }
                byte[] privateKey = keys.get(0).getBytes(StandardCharsets.UTF_8);
                try {
                    b.sshKey(ref.id(), privateKey, pass);
                } finally {
                    Arrays.fill(privateKey, (byte) 0);
                    if (pass != null) {
                        Arrays.fill(pass, (byte) 0);
                    }
                }
            }
            for (BuildSpec.RegistryLogin login : request.registries()) {
                String registryId = login.credentialsId();
                List<String> hosts = login.host() != null ? List.of(login.host()) : request.registryHosts();
                if (hosts.isEmpty()) {
                    throw new AbortException("registryCredentialsId: give registryHost, or tags or cacheFrom that"
                            + " name the registry, so that it is known which registry the credentials are for");
                }
                StandardUsernamePasswordCredentials c =
                        find(registryId, StandardUsernamePasswordCredentials.class, "Username with password");
                byte[] password = c.getPassword().getPlainText().getBytes(StandardCharsets.UTF_8);
                try {
                    for (String host : hosts) {
                        b.registry(host, c.getUsername(), password);
                    }
                } finally {
                    Arrays.fill(password, (byte) 0);
                }
            }
            if (request.builderCredentialsId() != null) {
                addBuilderCertificate(b, request.builderCredentialsId());
            }
            ResolvedCredentials resolved = b.build();
            done = true;
            return resolved;
        } catch (InvalidBuildContextException e) {
            throw new AbortException(e.getMessage());
        } finally {
            if (!done) {
                // build() shares the builder's copies, so this zeroes what was collected so far.
                b.build().destroy();
            }
        }
    }

    /**
     * Only the client certificate of a builder ({@code pruneBuildCache(builder:, builderCredentialsId:)}). The caller
     * {@link ResolvedCredentials#destroy()}s it.
     */
    public ResolvedCredentials resolveBuilderCertificate(String credentialsId) throws IOException {
        ResolvedCredentials.Builder b = ResolvedCredentials.builder();
        addBuilderCertificate(b, credentialsId);
        return b.build();
    }

    /** A Docker Server Credentials entry's CA, certificate and key, as a builder's client certificate. */
    private void addBuilderCertificate(ResolvedCredentials.Builder b, String credentialsId) throws IOException {
        DockerServerCredentials c = find(credentialsId, DockerServerCredentials.class, "Docker Server Credentials");
        Secret key = c.getClientKeySecret();
        String cert = c.getClientCertificate();
        String ca = c.getServerCaCertificate();
        if (key == null || cert == null || ca == null) {
            throw new AbortException("Credentials '" + credentialsId + "' need the client key, the client certificate"
                    + " and the server CA certificate for a builder's mutual TLS");
        }
        byte[] keyBytes = key.getPlainText().getBytes(StandardCharsets.US_ASCII);
        try {
            b.builderCertificate(
                    ca.getBytes(StandardCharsets.US_ASCII), cert.getBytes(StandardCharsets.US_ASCII), keyBytes);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    private byte[] secretBytes(String credentialsId) throws IOException {
        StandardCredentials c = find(credentialsId, StandardCredentials.class, BuildSecret.EXPECTED);
        if (c instanceof StringCredentials s) {
            return s.getSecret().getPlainText().getBytes(StandardCharsets.UTF_8);
        }
        if (c instanceof FileCredentials f) {
            try (InputStream in = f.getContent()) {
                return in.readAllBytes();
            }
        }
        throw wrongType(credentialsId, BuildSecret.EXPECTED);
    }

    /**
     * The credential {@code id} of type {@code type}, tracked on the run. ({@code findCredentialById} tracks
     * only credentials that come from a credentials parameter, so the use is recorded here.)
     */
    private <C extends StandardCredentials> C find(String id, Class<C> type, String expected) throws AbortException {
        if (id == null || id.isBlank()) {
            throw new AbortException("A credentialsId is missing; expected the id of " + expected + " credentials");
        }
        C found = CredentialsProvider.findCredentialById(id, type, run);
        if (found == null) {
            if (CredentialsProvider.findCredentialById(id, StandardCredentials.class, run) != null) {
                throw wrongType(id, expected);
            }
            throw new AbortException("Could not find credentials '" + id + "' (expected " + expected
                    + " credentials visible to this job)");
        }
        CredentialsProvider.track(run, found);
        return found;
    }

    private static AbortException wrongType(String id, String expected) {
        return new AbortException("Credentials '" + id + "' are of the wrong type; expected " + expected);
    }
}
