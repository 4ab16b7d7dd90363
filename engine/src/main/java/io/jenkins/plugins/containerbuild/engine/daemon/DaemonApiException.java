package io.jenkins.plugins.containerbuild.engine.daemon;

import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.nio.charset.StandardCharsets;

/** The daemon answered a request with an error status. */
public final class DaemonApiException extends BuildException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean refusesSessionContext;

    private DaemonApiException(String message, int status, boolean refusesSessionContext) {
        super(message);
        this.status = status;
        this.refusesSessionContext = refusesSessionContext;
    }

    /**
     * The daemon's error answer to {@code request}. The daemon gives no error code, so whether it refused a
     * context served over the session (a daemon without client-session contexts) is read from its text here,
     * once, and callers decide on {@link #refusesSessionContext()}.
     */
    public static DaemonApiException of(String request, int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        try {
            JsonValue n = Json.parse(text);
            if (n != null && n.hasNonNull("message")) {
                text = n.get("message").asText();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: keep the raw text
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean sessionContext = lower.contains("session") || lower.contains("local sources");
        return new DaemonApiException(
                "the daemon refused " + request.replaceAll("\\?.*", "") + " (HTTP " + status + "): " + text,
                status,
                sessionContext);
    }

    /** True when the daemon refused a build context served over the session's file sync. */
    public boolean refusesSessionContext() {
        return refusesSessionContext;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }
}
