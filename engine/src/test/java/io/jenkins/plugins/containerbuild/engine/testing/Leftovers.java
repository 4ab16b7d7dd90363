package io.jenkins.plugins.containerbuild.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Removes what a killed builder leaves under its own directories: the containers of its {@code RUN} steps (still
 * running), their mounts, and the files. Only for a test's private builder.
 */
public final class Leftovers {
    private Leftovers() {}

    /** Kills the processes rooted under {@code root}, unmounts what is mounted there, and deletes it. */
    public static void remove(Path root) throws IOException, InterruptedException {
        killRootedUnder(root);
        for (String m : mountsUnder(root)) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The mount points at or under {@code root}, deepest first. */
    public static List<String> mountsUnder(Path root) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .map(l -> l.split(" ")[1])
                .filter(m -> m.equals(root.toString()) || m.startsWith(root + "/"))
                .sorted(Comparator.reverseOrder())
                .toList();
    }

    /** Kills the processes whose root directory lies under {@code dir}: containers of a builder's RUN steps. */
    private static void killRootedUnder(Path dir) throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("root")).startsWith(dir)) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString()))
                                .ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | SecurityException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        }
    }
}
