package io.jenkins.plugins.containerbuild.engine.daemon;

import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import java.nio.charset.StandardCharsets;

/** The daemon answered a request with an error status. */
public final class DaemonApiException extends BuildException {
    private static final long serialVersionUID = 1L;
    private final int status;

    private DaemonApiException(String message, int status) {
        super(message);
        this.status = status;
    }

    static DaemonApiException of(String request, int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        try {
            JsonValue n = Json.parse(text);
            if (n != null && n.hasNonNull("message")) {
                text = n.get("message").asText();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: keep the raw text
        }
        return new DaemonApiException("the daemon refused " + request.replaceAll("\\?.*", "") + " (HTTP " + status + "): "
                + text, status);
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }
}
