package io.jenkins.plugins.containerbuild.engine.api;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Names a credential for one build secret or SSH identity: {@code id} is what the Dockerfile uses
 * ({@code RUN --mount=type=secret,id=npm}), {@code credentialsId} where the front end finds the value (in Jenkins
 * the id of a credential). Holds no secret material.
 *
 * @param id            the secret or SSH id: letters, digits, {@code _ . -}
 * @param credentialsId the id of the credential in the credentials store
 */
public record CredentialRef(String id, String credentialsId) implements Serializable {
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9_.-]+");

    /** Validates both ids. */
    public CredentialRef {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidBuildContextException("id", "'" + id + "' is not a valid id; use letters, digits, _ . -");
        }
        if (credentialsId == null || credentialsId.isBlank()) {
            throw new InvalidBuildContextException("credentialsId", "must name a credential for id '" + id + "'");
        }
    }
}
