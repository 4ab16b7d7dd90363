package io.jenkins.plugins.containerbuild.engine.meta;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of comma-separated fields as metadata-action reads its rules: a field may be quoted to hold commas
 * ({@code "pattern=\d{1,3}"}); a doubled quote inside quotes is one quote; every field is trimmed.
 */
final class CsvFields {
    private CsvFields() {}

    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean atStart = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && atStart) {
                quoted = true;
                atStart = false;
            } else if (c == ',') {
                out.add(field.toString().trim());
                field.setLength(0);
                atStart = true;
            } else {
                if (!Character.isWhitespace(c)) {
                    atStart = false;
                }
                field.append(c);
            }
        }
        out.add(field.toString().trim());
        return out;
    }
}
