package org.qat4j.experiments.study;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.qat4j.qat.QuantGrid;

/** A weight and activation bit-width pair such as W4A8. */
public record BitWidths(int weightBits, int activationBits) {

    private static final Pattern PAIR = Pattern.compile("w(\\d+)a(\\d+)");

    public BitWidths {
        QuantGrid.checkBitWidth(weightBits);
        QuantGrid.checkBitWidth(activationBits);
        if (weightBits > 8 || activationBits > 8) {
            throw new IllegalArgumentException("Bit widths W" + weightBits + "A" + activationBits
                    + " are not supported by the study: the integer engine runs 2 to 8 bits; use w2a2 to w8a8");
        }
    }

    /** Parses {@code w4a8}, or a single number such as {@code 4} for W4A4. */
    public static BitWidths parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = PAIR.matcher(value);
        try {
            if (matcher.matches()) {
                return new BitWidths(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
            }
            int bits = Integer.parseInt(value);
            return new BitWidths(bits, bits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bit widths '" + text + "' are invalid: write w4a8, or 4 for w4a4");
        }
    }

    /** Returns the label used in run ids and file names, such as {@code w4a8}. */
    public String id() {
        return "w" + weightBits + "a" + activationBits;
    }

    @Override
    public String toString() {
        return id().toUpperCase(Locale.ROOT);
    }
}
