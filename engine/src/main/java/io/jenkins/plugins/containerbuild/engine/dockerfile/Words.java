package io.jenkins.plugins.containerbuild.engine.dockerfile;

import java.util.ArrayList;
import java.util.List;

/** Splits instruction arguments into words the way the Dockerfile parser does. */
final class Words {
    private Words() {}

    /** Splits {@code text} from {@code from} on whitespace, with no quote handling. */
    static List<Word> plain(String text, int from) {
        List<Word> words = new ArrayList<>();
        int i = from;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(new Word(text.substring(start, i), start));
            }
        }
        return words;
    }

    /**
     * Splits {@code text} from {@code from} on whitespace outside single or double quotes; the
     * escape character protects the next character. Quotes and escapes stay in the words.
     */
    static List<Word> shell(String text, int from, char escape) {
        List<Word> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int start = -1;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (start < 0) {
                if (Character.isWhitespace(c)) {
                    continue;
                }
                start = i;
            }
            if (quote == 0 && Character.isWhitespace(c)) {
                words.add(new Word(word.toString(), start));
                word.setLength(0);
                start = -1;
                continue;
            }
            word.append(c);
            if (c == escape && quote != '\'' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (start >= 0) {
            words.add(new Word(word.toString(), start));
        }
        return words;
    }
}
