package io.jenkins.plugins.containerbuild.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a test needs from the machine (a daemon, a registry, QEMU). On a developer's machine a missing
 * piece skips the test with the reason; in CI ({@code CI=true}) it fails it, so a builder that did not
 * start can never pass as a green run of skipped tests.
 */
public final class Required {
    private Required() {}

    /** True when the run is CI's ({@code CI=true}). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, in CI, fails) the calling test with {@code why} unless {@code present}. */
    public static void that(boolean present, String why) {
        if (!present && inCi()) {
            fail("CI=true and " + why);
        }
        assumeTrue(present, why);
    }
}
