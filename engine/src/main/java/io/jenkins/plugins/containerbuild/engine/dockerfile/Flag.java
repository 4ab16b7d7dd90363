package io.jenkins.plugins.containerbuild.engine.dockerfile;

/**
 * A {@code --name=value} flag written before an instruction's arguments.
 *
 * @param name   the flag name without the leading dashes, as written (flag names are case-sensitive)
 * @param value  the value after {@code =} with quotes removed, or {@code null} when there is no {@code =}
 * @param line   1-based line of the flag's {@code --}
 * @param column 1-based column of the flag's {@code --}
 */
public record Flag(String name, String value, int line, int column) {}
