package io.jenkins.plugins.containerbuild.engine.mask;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.api.SecretSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces build secret values in log lines with {@code ****}. Built once per build from the context's
 * secrets (and registry passwords): each value is read once and only the character forms masking needs are
 * kept, as {@code char[]} (never a {@code String}): the value as UTF-8 text, the value without a trailing
 * line break, each line of a multi-line value, its standard base64 form, and the part of its base64 form
 * that is the same whatever bytes precede it (offsets 1 and 2 within a base64 group, so a secret embedded in
 * a longer base64 string is found too). Values shorter than {@value #SHORT} bytes are masked as well, which
 * may mask ordinary text that happens to match: {@link #shortSecrets()} tells how many there are so the
 * caller can say so. Unaligned base64 fragments shorter than {@value #MIN_FRAGMENT} characters are not used.
 * Never logs; {@link #close()} zeroes what it keeps.
 */
public final class SecretMasker implements AutoCloseable {
    public static final String MASK = "****";
    static final int SHORT = 4;
    static final int MIN_FRAGMENT = 6;

    private final List<char[]> patterns = new ArrayList<>();
    /** The same forms as UTF-8 bytes (plus each raw value), for byte streams such as a build log. */
    private final List<byte[]> bytePatterns = new ArrayList<>();

    private final int shortSecrets;
    private final List<String> unreadable = new ArrayList<>();

    private SecretMasker(Collection<NamedSource> sources) {
        int shortCount = 0;
        for (NamedSource s : sources) {
            byte[] value;
            try {
                value = s.source.read();
            } catch (IOException | RuntimeException e) {
                unreadable.add(s.name);
                continue;
            }
            try {
                if (value.length == 0) {
                    continue;
                }
                if (value.length < SHORT) {
                    shortCount++;
                }
                addForms(value);
                addBytes(value.clone());
            } finally {
                Arrays.fill(value, (byte) 0);
            }
        }
        this.shortSecrets = shortCount;
        patterns.sort(Comparator.comparingInt((char[] p) -> p.length).reversed());
        patterns.forEach(p -> addBytes(utf8(p)));
        bytePatterns.sort(Comparator.comparingInt((byte[] p) -> p.length).reversed());
    }

    /** A masker for every secret and registry password of a build. */
    public static SecretMasker of(BuildContext ctx) {
        List<NamedSource> sources = new ArrayList<>();
        ctx.secrets().forEach((id, src) -> sources.add(new NamedSource("secret " + id, src)));
        for (RegistryCredentials c : ctx.registryAuth().values()) {
            sources.add(new NamedSource("registry password for " + c.host(), c.password()));
        }
        return new SecretMasker(sources);
    }

    /** A masker for the given values; the caller keeps (and zeroes) its arrays, this masker zeroes its copies. */
    public static SecretMasker ofValues(List<byte[]> values) {
        List<NamedSource> sources = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            sources.add(new NamedSource("value " + i, SecretSource.ofBytes(values.get(i))));
        }
        return new SecretMasker(sources);
    }

    /** A masker for the given sources (names are used only in {@link #unreadable()}). */
    public static SecretMasker of(java.util.Map<String, SecretSource> secrets) {
        List<NamedSource> sources = new ArrayList<>();
        secrets.forEach((id, src) -> sources.add(new NamedSource("secret " + id, src)));
        return new SecretMasker(sources);
    }

    private record NamedSource(String name, SecretSource source) {}

    private void addForms(byte[] value) {
        char[] text = decode(value);
        if (text != null) {
            add(text);
            int end = text.length;
            while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) {
                end--;
            }
            if (end < text.length && end > 0) {
                add(Arrays.copyOf(text, end));
            }
            int start = 0;
            for (int i = 0; i <= end; i++) {
                if (i == end || text[i] == '\n' || text[i] == '\r') {
                    if (i - start >= SHORT && (start > 0 || i < end)) {
                        add(Arrays.copyOfRange(text, start, i));
                    }
                    start = i + 1;
                }
            }
        }
        // standard base64 of the value, aligned: the whole padded form
        add(base64Chars(value, 0));
        // the characters fully determined by the value when it starts at offset s within a 3-byte group
        for (int shift = 0; shift < 3; shift++) {
            char[] enc = base64Chars(value, shift);
            int first = (8 * shift + 5) / 6; // ceil(8*shift / 6)
            int last = (8 * (shift + value.length)) / 6; // floor: characters entirely inside the value
            if (last - first >= MIN_FRAGMENT) {
                add(Arrays.copyOfRange(enc, first, last));
            }
            Arrays.fill(enc, '\0');
        }
    }

    private static char[] base64Chars(byte[] value, int shift) {
        byte[] shifted = new byte[shift + value.length];
        System.arraycopy(value, 0, shifted, shift, value.length);
        byte[] enc = Base64.getEncoder().encode(shifted);
        Arrays.fill(shifted, (byte) 0);
        char[] out = new char[enc.length];
        for (int i = 0; i < enc.length; i++) {
            out[i] = (char) enc[i];
        }
        Arrays.fill(enc, (byte) 0);
        return out;
    }

    private static char[] decode(byte[] value) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
            char[] out = new char[cb.remaining()];
            cb.get(out);
            Arrays.fill(cb.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            return null; // binary secret: only its base64 forms can show up in text
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        Arrays.fill(b.array(), (byte) 0);
        return out;
    }

    private void addBytes(byte[] p) {
        for (byte[] q : bytePatterns) {
            if (Arrays.equals(p, q)) {
                Arrays.fill(p, (byte) 0);
                return;
            }
        }
        if (p.length > 0) {
            bytePatterns.add(p);
        }
    }

    private void add(char[] p) {
        for (char[] q : patterns) {
            if (Arrays.equals(p, q)) {
                Arrays.fill(p, '\0');
                return;
            }
        }
        patterns.add(p);
    }

    /** The line with every secret form replaced by {@value #MASK}; the same instance when nothing matched. */
    public String mask(String line) {
        if (line == null || line.isEmpty() || patterns.isEmpty()) {
            return line;
        }
        boolean[] hidden = null;
        int n = line.length();
        for (char[] p : patterns) {
            if (p.length == 0 || p.length > n) {
                continue;
            }
            char first = p[0];
            for (int i = 0; i + p.length <= n; i++) {
                if (line.charAt(i) != first) {
                    continue;
                }
                int j = 1;
                while (j < p.length && line.charAt(i + j) == p[j]) {
                    j++;
                }
                if (j == p.length) {
                    if (hidden == null) {
                        hidden = new boolean[n];
                    }
                    Arrays.fill(hidden, i, i + p.length, true);
                }
            }
        }
        if (hidden == null) {
            return line;
        }
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            if (hidden[i]) {
                if (i == 0 || !hidden[i - 1]) {
                    sb.append(MASK);
                }
            } else {
                sb.append(line.charAt(i));
            }
        }
        return sb.toString();
    }

    /** {@code m} with its error text masked; the rest of the metrics holds no text a build wrote. */
    public io.jenkins.plugins.containerbuild.engine.api.BuildMetrics mask(
            io.jenkins.plugins.containerbuild.engine.api.BuildMetrics m) {
        return m.error() == null ? m : m.toBuilder().error(mask(m.error())).build();
    }

    /**
     * A line of bytes with every secret form replaced by {@value #MASK}, for streams whose text is never turned
     * into a {@code String}; a new array (the caller zeroes the given one if it wants).
     */
    public byte[] mask(byte[] line) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(line.length);
        byte[] mask = MASK.getBytes(StandardCharsets.US_ASCII);
        int i = 0;
        outer:
        while (i < line.length) {
            for (byte[] p : bytePatterns) {
                if (regionMatches(line, i, p)) {
                    out.write(mask, 0, mask.length);
                    i += p.length;
                    continue outer;
                }
            }
            out.write(line[i++]);
        }
        return out.toByteArray();
    }

    private static boolean regionMatches(byte[] text, int at, byte[] p) {
        if (at + p.length > text.length) {
            return false;
        }
        for (int j = 0; j < p.length; j++) {
            if (text[at + j] != p[j]) {
                return false;
            }
        }
        return true;
    }

    /** How many secrets are shorter than 4 bytes (masked anyway; ordinary text may be masked with them). */
    public int shortSecrets() {
        return shortSecrets;
    }

    /** Names of the sources that could not be read (their values are not masked). */
    public List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** True when there is nothing to mask. */
    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Zeroes the kept forms; {@link #mask} then returns lines unchanged. */
    @Override
    public void close() {
        patterns.forEach(p -> Arrays.fill(p, '\0'));
        patterns.clear();
        bytePatterns.forEach(p -> Arrays.fill(p, (byte) 0));
        bytePatterns.clear();
    }

    @Override
    public String toString() {
        return "SecretMasker(" + patterns.size() + " forms)";
    }
}
