package org.qat4j.qat;

/**
 * An integer grid {@code [qmin, qmax]} of bit width {@code b} (2 to 16 bits).
 *
 * <ul>
 *   <li>unsigned: {@code [0, 2^b - 1]}</li>
 *   <li>signed: {@code [-2^(b-1), 2^(b-1) - 1]}</li>
 *   <li>narrow signed: {@code [-(2^(b-1) - 1), 2^(b-1) - 1]}, symmetric around 0, used for symmetric
 *       weights so that {@code -q} exists for every {@code q}</li>
 * </ul>
 */
public final class QuantGrid {

    /** The three integer grids. */
    public enum Kind { UNSIGNED, SIGNED, NARROW_SIGNED }

    public static final int MIN_BIT_WIDTH = 2;
    public static final int MAX_BIT_WIDTH = 16;

    private final Kind kind;
    private final int bitWidth;
    private final int qmin;
    private final int qmax;

    private QuantGrid(Kind kind, int bitWidth) {
        checkBitWidth(bitWidth);
        this.kind = kind;
        this.bitWidth = bitWidth;
        int half = 1 << (bitWidth - 1);
        switch (kind) {
            case UNSIGNED -> {
                qmin = 0;
                qmax = (1 << bitWidth) - 1;
            }
            case SIGNED -> {
                qmin = -half;
                qmax = half - 1;
            }
            default -> {
                qmin = -(half - 1);
                qmax = half - 1;
            }
        }
    }

    public static QuantGrid of(Kind kind, int bitWidth) {
        return new QuantGrid(kind, bitWidth);
    }

    public static QuantGrid unsigned(int bitWidth) {
        return new QuantGrid(Kind.UNSIGNED, bitWidth);
    }

    public static QuantGrid signed(int bitWidth) {
        return new QuantGrid(Kind.SIGNED, bitWidth);
    }

    public static QuantGrid narrowSigned(int bitWidth) {
        return new QuantGrid(Kind.NARROW_SIGNED, bitWidth);
    }

    /** Rejects a bit width outside 2..16 with a message that gives the allowed range. */
    public static void checkBitWidth(int bitWidth) {
        if (bitWidth < MIN_BIT_WIDTH || bitWidth > MAX_BIT_WIDTH) {
            throw new IllegalArgumentException("Bit width " + bitWidth + " is out of range: use "
                    + MIN_BIT_WIDTH + " to " + MAX_BIT_WIDTH + ".");
        }
    }

    public Kind kind() {
        return kind;
    }

    public int bitWidth() {
        return bitWidth;
    }

    public int qmin() {
        return qmin;
    }

    public int qmax() {
        return qmax;
    }

    public boolean isSigned() {
        return kind != Kind.UNSIGNED;
    }

    /** Returns the number of levels, {@code qmax - qmin + 1}. */
    public int levels() {
        return qmax - qmin + 1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QuantGrid grid && grid.kind == kind && grid.bitWidth == bitWidth;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + bitWidth;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + bitWidth + "-bit [" + qmin + ", " + qmax + "]";
    }
}
