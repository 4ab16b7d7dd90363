package io.jenkins.plugins.containerbuild.engine.api;

import java.util.Locale;

/** A target platform in OCI terms ({@code os/arch[/variant]}). */
public enum Platform {
    LINUX_AMD64("linux", "amd64", null),
    LINUX_ARM64("linux", "arm64", null),
    LINUX_ARM_V7("linux", "arm", "v7"),
    LINUX_PPC64LE("linux", "ppc64le", null),
    LINUX_S390X("linux", "s390x", null);

    private final String os;
    private final String architecture;
    private final String variant;

    Platform(String os, String architecture, String variant) {
        this.os = os;
        this.architecture = architecture;
        this.variant = variant;
    }

    public String os() {
        return os;
    }

    public String architecture() {
        return architecture;
    }

    /** The variant, or {@code null} when the platform has none. */
    public String variant() {
        return variant;
    }

    /** The form the daemon's {@code platform} parameter takes, e.g. {@code linux/arm/v7}. */
    public String specifier() {
        return variant == null ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
    }

    @Override
    public String toString() {
        return specifier();
    }

    /**
     * Parses {@code os/arch[/variant]} (or a bare architecture, taken as linux); {@code arm64/v8} and
     * {@code x86_64} are accepted as the aliases Docker accepts.
     *
     * @param field the name of the option being parsed, used in the error message
     */
    public static Platform parse(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidBuildContextException(field, "platform must not be empty; use e.g. linux/amd64");
        }
        String[] parts = value.trim().toLowerCase(Locale.ROOT).split("/");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new InvalidBuildContextException(
                    field, "'" + value.trim() + "' is not a platform; write OS/ARCH[/VARIANT], e.g. linux/arm64");
        }
        String os = parts.length >= 2 ? parts[0] : "linux";
        String arch = parts.length >= 2 ? parts[1] : parts[0];
        String variant = parts.length >= 3 ? parts[2] : null;
        if (parts.length > 3) {
            arch = "?";
        }
        if (arch.equals("x86_64") || arch.equals("x86-64")) {
            arch = "amd64";
        }
        if (arch.equals("aarch64") || (arch.equals("arm64") && "v8".equals(variant))) {
            arch = "arm64";
            variant = null;
        }
        if (arch.equals("arm") && variant == null) {
            variant = "v7";
        }
        for (Platform p : values()) {
            if (p.os.equals(os) && p.architecture.equals(arch) && java.util.Objects.equals(p.variant, variant)) {
                return p;
            }
        }
        throw new InvalidBuildContextException(
                field,
                "unsupported platform '" + value
                        + "'; use one of linux/amd64, linux/arm64, linux/arm/v7, linux/ppc64le, linux/s390x");
    }
}
