package io.jenkins.plugins.containerbuild.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.containerbuild.agent.CredentialMaterial;
import io.jenkins.plugins.containerbuild.engine.steps.BuildRequest;
import io.jenkins.plugins.containerbuild.engine.steps.CredentialRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Resolves the credential ids of a build request against the credentials store, in the context of
 * the run (so folder credentials and the run's authentication apply), records their use on the run
 * and turns their values into bytes right away.
 *
 * <ul>
 * <li>{@code secrets}: {@link StringCredentials} (the text, UTF-8) or {@link FileCredentials} (the file's bytes)</li>
 * <li>{@code sshKeys}: {@link SSHUserPrivateKey} (the first private key and its passphrase)</li>
 * <li>{@code registryCredentialsId}: {@link StandardUsernamePasswordCredentials}, for the registry host
 *     given by {@code registryHost} or else by the first tag</li>
 * </ul>
 * A missing id, or an id of another type, ends the build with an {@link AbortException} naming
 * the id and the expected type.
 */
public final class CredentialResolver {
    private final Run<?, ?> run;

    public CredentialResolver(Run<?, ?> run) {
        this.run = run;
    }

    /**
     * Adds the material of {@code request}'s credentials to {@code into}.
     *
     * @param registryHost the registry host for {@code registryCredentialsId}; null to take the first tag's
     * @param tags         the request's tags
     */
    public void resolve(BuildRequest request, String registryHost, List<String> tags, CredentialMaterial into)
            throws IOException {
        for (CredentialRef ref : request.getSecrets()) {
            into.secret(ref.id(), secretBytes(ref.credentialsId()));
        }
        for (CredentialRef ref : request.getSshKeys()) {
            SSHUserPrivateKey key = find(ref.credentialsId(), SSHUserPrivateKey.class, BuildSshKey.EXPECTED);
            List<String> keys = key.getPrivateKeys();
            if (keys.isEmpty()) {
                throw new AbortException("Credentials '" + ref.credentialsId() + "' hold no private key");
            }
            Secret passphrase = key.getPassphrase();
            byte[] pass = passphrase == null ? null : passphrase.getPlainText().getBytes(StandardCharsets.UTF_8);
            if (pass != null && pass.length == 0) {
                pass = null;
            }
            into.sshKey(ref.id(), keys.get(0).getBytes(StandardCharsets.UTF_8), pass);
        }
        String registryId = request.getRegistryCredentialsId();
        if (registryId != null && !registryId.isBlank()) {
            String host = registryHost != null && !registryHost.isBlank() ? registryHost.trim() : hostOfFirstTag(tags);
            StandardUsernamePasswordCredentials c = find(registryId, StandardUsernamePasswordCredentials.class,
                    "Username with password");
            into.registry(host, c.getUsername(), c.getPassword().getPlainText().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String hostOfFirstTag(List<String> tags) throws AbortException {
        if (tags.isEmpty()) {
            throw new AbortException("registryCredentialsId needs registryHost or at least one tag to know "
                    + "which registry the credentials are for");
        }
        return RegistryHosts.of(tags.get(0));
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

    /** The credential {@code id} of type {@code type}, tracked on the run. */
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
