package io.jenkins.plugins.containerbuild.engine.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code --name=value} flags at the start of an instruction's arguments. Flags end at
 * the first word that does not start with {@code --}, or after a lone {@code --}. Quotes inside a
 * flag word group whitespace and are removed.
 */
final class FlagScanner {
    record Result(List<Flag> flags, int argumentsOffset) {}

    private FlagScanner() {}

    static Result scan(Instruction instruction, int from) {
        String text = instruction.text();
        char escape = instruction.escape();
        List<Flag> flags = new ArrayList<>();
        int i = skipSpace(text, from);
        while (text.startsWith("--", i)) {
            int start = i;
            StringBuilder word = new StringBuilder();
            char quote = 0;
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (c == escape && quote != '\'' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            }
            i = skipSpace(text, i);
            if (word.length() == 2) {
                break; // a lone "--" ends the flags
            }
            String body = word.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? null : body.substring(eq + 1);
            flags.add(new Flag(name, value, instruction.lineAt(start), instruction.columnAt(start)));
        }
        return new Result(List.copyOf(flags), i);
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
