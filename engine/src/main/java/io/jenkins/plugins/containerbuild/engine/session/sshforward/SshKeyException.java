package io.jenkins.plugins.containerbuild.engine.session.sshforward;

import java.io.IOException;

/** A private key could not be loaded. The message never contains key material or a passphrase. */
public final class SshKeyException extends IOException {
    private static final long serialVersionUID = 1L;

    public SshKeyException(String message) {
        super(message);
    }

    public SshKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
