package io.jenkins.plugins.containerbuild.engine.dockerfile;

import java.util.List;

/**
 * One build stage: a FROM instruction and the instructions after it up to the next FROM.
 *
 * @param index        0-based position among the stages (what {@code COPY --from=<n>} refers to)
 * @param name         the name after {@code AS}, as written, or {@code null} for an unnamed stage
 * @param baseImage    the image (or earlier stage) named by FROM, or {@code null} when FROM has none
 * @param from         the FROM instruction
 * @param instructions the instructions of the stage after FROM, in order
 */
public record Stage(int index, String name, String baseImage, Instruction from, List<Instruction> instructions) {
    /** Copies the instruction list. */
    public Stage {
        instructions = List.copyOf(instructions);
    }
}
