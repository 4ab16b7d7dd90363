package io.jenkins.plugins.containerbuild.engine.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as users write them: {@code 1024}, {@code 512B}, {@code 10GB}, {@code 1.5G},
 * {@code 512MiB}. Decimal units (k/K, M, G, T, optionally followed by B) count in powers of 1000;
 * binary units (KiB, MiB, GiB, TiB) in powers of 1024. Case does not matter.
 */
public final class ByteSize {
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([kmgt]?i?b?)", Pattern.CASE_INSENSITIVE);

    private ByteSize() {}

    /**
     * Parses a size into bytes.
     *
     * @param field the option's name for the error message
     * @throws InvalidBuildContextException for a negative, fractional-byte, unknown-unit or too large size
     */
    public static long parse(String field, String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = SIZE.matcher(t);
        String unit = m.matches() ? m.group(2).toLowerCase(Locale.ROOT) : null;
        if (unit == null || unit.equals("i") || (unit.endsWith("i")) || (unit.contains("i") && unit.length() != 3)) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + text + "' is not a size; write a number with an"
                            + " optional unit B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024),"
                            + " e.g. 10GB or 512MiB");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(new BigDecimal(multiplier(unit)));
        BigInteger whole;
        try {
            whole = bytes.stripTrailingZeros().toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new InvalidBuildContextException(field, "'" + text + "' is not a whole number of bytes");
        }
        if (whole.bitLength() > 63) {
            throw new InvalidBuildContextException(field, "'" + text + "' is too large");
        }
        return whole.longValue();
    }

    private static BigInteger multiplier(String unit) {
        if (unit.isEmpty() || unit.equals("b")) {
            return BigInteger.ONE;
        }
        int power = "kmgt".indexOf(unit.charAt(0)) + 1;
        BigInteger base = BigInteger.valueOf(unit.contains("i") ? 1024 : 1000);
        return base.pow(power);
    }
}
