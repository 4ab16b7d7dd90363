package io.jenkins.plugins.containerbuild.engine.classic;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a classic-style build stream (a sequence of {@code stream} texts) marks steps, cache hits
 * and noise. The docker daemon's legacy builder and Podman's compat {@code /build} speak two
 * dialects of it; {@link ClassicStepTracker} follows either. One instance per build: a dialect
 * may keep state (Podman numbers steps per stage).
 */
public interface StreamDialect {

    /** What a line that is not a step header means. */
    enum Role {
        /** The step was answered from the cache. */
        CACHE_HIT,
        /** The step runs a container (so a FROM that shows it did work). */
        RAN,
        /** Builder bookkeeping that is no log output (layer ids, commits). */
        HIDDEN,
        /** Engine-level news (image built, tagged). */
        INFO,
        /** The step's own output. */
        OUTPUT
    }

    /**
     * A step header.
     *
     * @param number      the step's number among all steps of the build, from 1
     * @param total       the steps known so far (may grow with each stage)
     * @param name        the step's display name, e.g. {@code [3/7] RUN make}
     * @param instruction the Dockerfile instruction as the builder shows it
     */
    record Header(int number, int total, String name, String instruction) {
        boolean isFrom() {
            return instruction.regionMatches(true, 0, "FROM ", 0, 5);
        }
    }

    /** The header on {@code line}, or null when it is no step header. */
    Header header(String line);

    /** The role of a line inside a step. */
    Role role(String line);

    /** dockerd's legacy builder: {@code Step n/m : …}, {@code  ---> Using cache}, {@code  ---> Running in …}. */
    static StreamDialect classic() {
        return new Classic();
    }

    /**
     * Podman (buildah) through the compat API: {@code [s/S] STEP k/m: …} (stage prefix only for
     * multi-stage builds), {@code --> Using cache <id>}, {@code --> <id>}, {@code COMMIT <name>}.
     */
    static StreamDialect podman() {
        return new Podman();
    }

    /** The legacy builder numbers steps over the whole Dockerfile. */
    final class Classic implements StreamDialect {
        private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) : (.*)$", Pattern.DOTALL);
        private static final Pattern IMAGE_LINE = Pattern.compile("^ ---> [0-9a-f]{12}$");

        @Override
        public Header header(String line) {
            Matcher m = STEP.matcher(line);
            if (!m.matches()) {
                return null;
            }
            int n = Integer.parseInt(m.group(1));
            int total = Integer.parseInt(m.group(2));
            String instruction = m.group(3).trim();
            return new Header(n, total, "[" + n + "/" + total + "] " + instruction, instruction);
        }

        @Override
        public Role role(String line) {
            if (line.equals(" ---> Using cache")) {
                return Role.CACHE_HIT;
            }
            if (line.startsWith(" ---> Running in ")) {
                return Role.RAN;
            }
            if (line.startsWith("Successfully built ") || line.startsWith("Successfully tagged ")) {
                return Role.INFO;
            }
            if (IMAGE_LINE.matcher(line).matches()
                    || line.startsWith("Removing intermediate container")
                    || line.isBlank()) {
                return Role.HIDDEN;
            }
            return Role.OUTPUT;
        }
    }

    /**
     * Buildah numbers steps per stage ({@code [2/3] STEP 4/6: …}); the overall number counts the
     * steps seen, and the total adds each finished stage's size to the current stage's.
     */
    final class Podman implements StreamDialect {
        private static final Pattern STEP =
                Pattern.compile("^(?:\\[(\\d+)/(\\d+)\\] )?STEP (\\d+)/(\\d+): (.*)$", Pattern.DOTALL);
        private static final Pattern LAYER_LINE = Pattern.compile("^--> [0-9a-f]{6,64}$");
        private static final Pattern COMMIT_LINE = Pattern.compile("^(?:\\[\\d+/\\d+\\] )?COMMIT( .*)?$");

        private static final Pattern IMAGE_ID_LINE = Pattern.compile("^[0-9a-f]{64}$");
        private int stage = 1;
        private int stageOffset;
        private int stageSize;
        private int seen;

        @Override
        public Header header(String line) {
            Matcher m = STEP.matcher(line);
            if (!m.matches()) {
                return null;
            }
            int s = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
            int stages = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            int k = Integer.parseInt(m.group(3));
            int size = Integer.parseInt(m.group(4));
            if (s != stage) {
                stageOffset += stageSize;
                stage = s;
            }
            stageSize = size;
            seen++;
            String instruction = m.group(5).trim();
            String where = stages == 1 ? k + "/" + size : s + "/" + stages + " " + k + "/" + size;
            return new Header(seen, Math.max(seen, stageOffset + size), "[" + where + "] " + instruction, instruction);
        }

        @Override
        public Role role(String line) {
            if (line.startsWith("--> Using cache ")) {
                return Role.CACHE_HIT;
            }
            if (line.startsWith("Successfully built ") || line.startsWith("Successfully tagged ")) {
                return Role.INFO;
            }
            if (line.isBlank()
                    || LAYER_LINE.matcher(line).matches()
                    || COMMIT_LINE.matcher(line).matches()
                    || IMAGE_ID_LINE.matcher(line).matches()) {
                return Role.HIDDEN;
            }
            return Role.OUTPUT;
        }
    }
}
