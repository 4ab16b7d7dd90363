package io.jenkins.plugins.containerbuild.engine.api;

/**
 * Bad input, found before anything reaches the daemon. The message names the field and says how
 * to fix it.
 */
public class InvalidBuildContextException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidBuildContextException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The name of the offending field or option. */
    public String field() {
        return field;
    }
}
