package org.qat4j.qat.integer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FixedPointMultiplierTest {

    private static final BigDecimal TWO_POW_MINUS_31 = BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(31)));

    /** Multipliers from 1e-9 to 1e3, spread over every binade and off the powers of two. */
    private static double[] multipliers() {
        Random random = new Random(11);
        double[] values = new double[400];
        for (int i = 0; i < values.length; i++) {
            double exponent = -9 + 12.0 * random.nextDouble();
            values[i] = Math.pow(10, exponent);
        }
        return values;
    }

    @Test
    void multiplierWithinRangeAndRelativeError() {
        for (double m : multipliers()) {
            FixedPointMultiplier fixed = FixedPointMultiplier.of(m, "fc1");
            assertTrue(fixed.multiplier() >= (1 << 30), "M0 below 2^30 for M=" + m);
            assertTrue(fixed.shift() >= 0, "negative shift for M=" + m);
            assertTrue(fixed.shift() <= 62, "shift above 62 for M=" + m);

            BigDecimal exact = new BigDecimal(m);
            BigDecimal approx = new BigDecimal(fixed.multiplier()).divide(new BigDecimal(BigInteger.ONE.shiftLeft(fixed.shift())));
            BigDecimal relativeError = approx.subtract(exact).abs().divide(exact, MathContext.DECIMAL128);
            assertTrue(relativeError.compareTo(TWO_POW_MINUS_31) <= 0, "relative error " + relativeError + " for M=" + m);
        }
    }

    @Test
    void requantizeMatchesExactRoundingForRandomAccumulators() {
        Random random = new Random(5);
        for (double m : multipliers()) {
            FixedPointMultiplier fixed = FixedPointMultiplier.of(m, "conv1");
            for (int i = 0; i < 50; i++) {
                int acc = switch (i % 3) {
                    case 0 -> random.nextInt();
                    case 1 -> random.nextInt(2_000_001) - 1_000_000;
                    default -> -random.nextInt(1000);
                };
                BigInteger expected = ReferenceEngine.roundedProduct(acc, fixed.multiplier(), fixed.shift());
                assertEquals(expected.longValueExact(), fixed.requantize(acc), "M=" + m + " acc=" + acc);
                assertEquals(expected.longValueExact(), fixed.requantize((long) acc), "long path, M=" + m + " acc=" + acc);
            }
        }
    }

    @Test
    void roundsTiesHalfToEven() {
        // M = c * 2^-e with a short mantissa has an M0 with many trailing zeros, so exact ties occur.
        double[] mantissas = {1.0, 1.5, 1.25, 1.75, 1.375};
        int checkedTies = 0;
        for (double mantissa : mantissas) {
            for (int e = -30; e <= 9; e++) {
                double m = Math.scalb(mantissa, e);
                FixedPointMultiplier fixed = FixedPointMultiplier.of(m, "fc2");
                int trailingZeros = Integer.numberOfTrailingZeros(fixed.multiplier());
                int tieStep = fixed.shift() - 1 - trailingZeros;
                if (tieStep < 0 || tieStep > 20) {
                    continue;
                }
                for (int u = -41; u <= 41; u += 2) {
                    int acc = u << tieStep;
                    BigInteger expected = ReferenceEngine.roundedProduct(acc, fixed.multiplier(), fixed.shift());
                    long actual = fixed.requantize(acc);
                    assertEquals(expected.longValueExact(), actual, "tie M=" + m + " acc=" + acc);
                    assertEquals(0, actual % 2, "a tie must round to an even value, M=" + m + " acc=" + acc);
                    checkedTies++;
                }
            }
        }
        assertTrue(checkedTies > 1000, "only " + checkedTies + " ties checked");
    }

    @Test
    void roundsHandPickedTies() {
        FixedPointMultiplier half = FixedPointMultiplier.of(0.5, "fc");
        assertEquals(1 << 30, half.multiplier());
        assertEquals(31, half.shift());
        assertEquals(2, half.requantize(3));   // 1.5 -> 2
        assertEquals(2, half.requantize(5));   // 2.5 -> 2
        assertEquals(-2, half.requantize(-3)); // -1.5 -> -2
        assertEquals(-2, half.requantize(-5)); // -2.5 -> -2
        assertEquals(0, half.requantize(-1));  // -0.5 -> 0
        assertEquals(0, half.requantize(1));   // 0.5 -> 0
    }

    @Test
    void matchesWorkedExampleWithSingleRounding() {
        // M = 0.0003: M0 = rint(0.0003 * 2^42) = 1319413953. Rounding twice (high multiply rounded to 1024 and
        // 3072, then ties away from zero in the shift by 11) would give 1 for 1666 and 2 for 5000.
        FixedPointMultiplier fixed = FixedPointMultiplier.of(0.0003, "fc");
        assertEquals(1319413953, fixed.multiplier());
        assertEquals(42, fixed.shift());
        assertEquals(3, fixed.requantize(10000));
        assertEquals(4, fixed.requantize(12345));
        assertEquals(0, fixed.requantize(1666));
        assertEquals(1, fixed.requantize(5000));
    }

    @Test
    void multiplierAboveOneIsExact() {
        FixedPointMultiplier fixed = FixedPointMultiplier.of(1000.0, "fc");
        assertEquals(2_097_152_000, fixed.multiplier());
        assertEquals(21, fixed.shift());
        assertEquals(7000, fixed.requantize(7));
        assertEquals(-2_147_483_648_000L, fixed.requantize(Integer.MIN_VALUE));
    }

    @Test
    void roundingUpToTwoPow31LowersShift() {
        FixedPointMultiplier fixed = FixedPointMultiplier.of(Math.nextDown(1.0), "fc");
        assertEquals(1 << 30, fixed.multiplier());
        assertEquals(30, fixed.shift());
    }

    @Test
    void wideAccumulatorsMatchExactRoundingOrSaturate() {
        Random random = new Random(3);
        BigInteger longMax = BigInteger.valueOf(Long.MAX_VALUE);
        BigInteger longMin = BigInteger.valueOf(Long.MIN_VALUE);
        for (double m : new double[] {1e-9, 3.7e-5, 0.25, 0.9, 1.0, 17.3, 999.0}) {
            FixedPointMultiplier fixed = FixedPointMultiplier.of(m, "fc");
            for (int i = 0; i < 200; i++) {
                long acc = random.nextLong() >> random.nextInt(40);
                BigInteger exact = ReferenceEngine.roundedProduct(acc, fixed.multiplier(), fixed.shift());
                long expected = exact.compareTo(longMax) > 0 ? Long.MAX_VALUE
                        : exact.compareTo(longMin) < 0 ? Long.MIN_VALUE : exact.longValueExact();
                assertEquals(expected, fixed.requantize(acc), "M=" + m + " acc=" + acc);
            }
        }
    }

    @Test
    void saturatesAtGridEndsWithoutWrapping() {
        FixedPointMultiplier large = FixedPointMultiplier.of(999.0, "fc");
        FixedPointMultiplier small = FixedPointMultiplier.of(1e-9, "fc");
        for (FixedPointMultiplier fixed : new FixedPointMultiplier[] {large, small}) {
            assertEquals(255, fixed.requantize(Long.MAX_VALUE, 128, 0, 255));
            assertEquals(0, fixed.requantize(Long.MIN_VALUE, 128, 0, 255));
            assertEquals(15, fixed.requantize(Long.MAX_VALUE / 3, 255, 3, 15));
            assertEquals(3, fixed.requantize(Long.MIN_VALUE + 1, 0, 3, 15));
        }
        assertEquals(255, large.requantize(Integer.MAX_VALUE, 200, 0, 255));
        assertEquals(0, large.requantize(Integer.MIN_VALUE, 200, 0, 255));
        assertEquals(255, large.requantize(Long.MAX_VALUE, Integer.MAX_VALUE, 0, 255));
        assertEquals(0, large.requantize(Long.MIN_VALUE, Integer.MIN_VALUE, 0, 255));
    }

    @Test
    void addsZeroPointAfterRounding() {
        FixedPointMultiplier half = FixedPointMultiplier.of(0.5, "fc");
        assertEquals(138, half.requantize(19, 128, 0, 255)); // 9.5 rounds to 10
        assertEquals(136, half.requantize(17, 128, 0, 255)); // 8.5 rounds to 8
        assertEquals(124, half.requantize(-9, 128, 0, 255)); // -4.5 rounds to -4
    }

    @Test
    void rejectsInvalidMultipliersNamingLayer() {
        for (double m : new double[] {0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> FixedPointMultiplier.of(m, "conv2"));
            assertTrue(error.getMessage().contains("conv2"), error.getMessage());
            assertTrue(error.getMessage().contains("positive"), error.getMessage());
        }
    }

    @Test
    void rejectsShiftOutOfRangeNamingLayer() {
        for (double m : new double[] {1e-12, Math.scalb(1.0, 31), Double.MIN_VALUE}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> FixedPointMultiplier.of(m, "fc3"));
            assertTrue(error.getMessage().contains("fc3"), error.getMessage());
            assertTrue(error.getMessage().contains("shift"), error.getMessage());
        }
    }

    @Test
    void forScalesDividesProductByOutputScale() {
        // s_w = 2^-10, s_x = 2^-8, s_y = 2^-4: M = 2^-14 exactly, so M0 = 2^30 and k = 44.
        FixedPointMultiplier multiplier = FixedPointMultiplier.forScales(0x1p-10, 0x1p-8, 0x1p-4, "fc1");
        assertEquals(0x1p-14, multiplier.realMultiplier());
        assertEquals(1 << 30, multiplier.multiplier());
        assertEquals(44, multiplier.shift());

        double sw = 0.0123f;
        double sx = 0.0039215689f;
        double sy = 0.0571f;
        FixedPointMultiplier rounded = FixedPointMultiplier.forScales(sw, sx, sy, "fc1");
        assertEquals(sw * sx / sy, rounded.realMultiplier());
        assertEquals(FixedPointMultiplier.of(sw * sx / sy, "fc1").multiplier(), rounded.multiplier());
    }

    @Test
    void fromPartsKeepsPartsAndValidatesRange() {
        FixedPointMultiplier multiplier = FixedPointMultiplier.fromParts((1 << 30) + 1, 40, "fc1");
        assertEquals((1 << 30) + 1, multiplier.multiplier());
        assertEquals(40, multiplier.shift());
        assertEquals(Math.scalb((double) ((1 << 30) + 1), -40), multiplier.realMultiplier());

        String lowM0 = assertThrows(IllegalArgumentException.class,
                () -> FixedPointMultiplier.fromParts((1 << 30) - 1, 40, "fc1")).getMessage();
        assertTrue(lowM0.contains("M0 = 1073741823 is out of range"), lowM0);
        String highShift = assertThrows(IllegalArgumentException.class,
                () -> FixedPointMultiplier.fromParts(1 << 30, 63, "fc1")).getMessage();
        assertTrue(highShift.contains("shift 63 is out of range"), highShift);
    }
}
