package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class QuantParamsTest {

    private static final QuantSpec ASYM_U8 = QuantSpec.perTensor(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC);

    private static QuantParams range(QuantSpec spec, double min, double max) {
        return QuantParams.fromRange(spec, new double[] {min}, new double[] {max});
    }

    @Test
    void asymmetricRangeGivesScaleAndZeroPoint() {
        QuantParams p = range(ASYM_U8, -1.0, 2.0);
        assertEquals((float) (3.0 / 255), p.scale(0), 0.0);
        assertEquals(85, p.zeroPoint(0));
    }

    @Test
    void positiveRangeIsWidenedToZero() {
        QuantParams p = range(ASYM_U8, 2.0, 10.0);
        assertEquals((float) (10.0 / 255), p.scale(0), 0.0);
        assertEquals(0, p.zeroPoint(0));
    }

    @Test
    void negativeRangeIsWidenedToZero() {
        QuantParams p = range(ASYM_U8, -10.0, -2.0);
        assertEquals((float) (10.0 / 255), p.scale(0), 0.0);
        assertEquals(255, p.zeroPoint(0));
    }

    @Test
    void symmetricNarrowUsesLargerMagnitude() {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC);
        QuantParams p = range(spec, -0.5, 1.27);
        assertEquals((float) 0.01, p.scale(0), 0.0);
        assertEquals(0, p.zeroPoint(0));
        QuantParams negative = range(spec, -2.54, 0.3);
        assertEquals((float) 0.02, negative.scale(0), 0.0);
    }

    @Test
    void symmetricFullSignedCoversBothEnds() {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.signed(4), QuantScheme.SYMMETRIC);
        // max(3 / 7, -8 / -8) = 1: the negative end needs the larger scale.
        assertEquals(1.0, range(spec, -8.0, 3.0).scale(0), 0.0);
        // max(7 / 7, -2 / -8) = 1.
        assertEquals(1.0, range(spec, -2.0, 7.0).scale(0), 0.0);
    }

    @Test
    void symmetricUnsignedForNonNegativeTensor() {
        QuantSpec spec = QuantSpec.perTensor(QuantGrid.unsigned(4), QuantScheme.SYMMETRIC);
        QuantParams p = range(spec, 0.0, 7.5);
        assertEquals(0.5, p.scale(0), 0.0);
        assertEquals(0, p.zeroPoint(0));
    }

    @Test
    void allZeroRangeGetsPositiveScale() {
        for (QuantScheme scheme : QuantScheme.values()) {
            QuantParams p = range(QuantSpec.perTensor(QuantGrid.narrowSigned(8), scheme), 0.0, 0.0);
            assertEquals(1.0, p.scale(0), 0.0, scheme.name());
        }
        QuantParams p = range(ASYM_U8, 0.0, 0.0);
        assertEquals(1.0, p.scale(0), 0.0);
        assertEquals(0, p.zeroPoint(0));
    }

    @Test
    void constantRangeGetsPositiveScale() {
        QuantParams p = range(ASYM_U8, 3.0, 3.0);
        assertEquals((float) (3.0 / 255), p.scale(0), 0.0);
        QuantParams tiny = range(ASYM_U8, 1e-30, 1e-30);
        assertEquals(QuantParams.MIN_SCALE, tiny.scale(0), 1e-16);
    }

    @Test
    void powerOfTwoScalesArePowersOfTwo() {
        Random random = new Random(7);
        for (QuantScheme scheme : QuantScheme.values()) {
            QuantSpec spec = QuantSpec.perTensor(QuantGrid.narrowSigned(4), scheme).withPowerOfTwoScale(true);
            for (int i = 0; i < 500; i++) {
                double min = -Math.exp(random.nextGaussian() * 5);
                double max = Math.exp(random.nextGaussian() * 5);
                QuantParams p = range(spec, min, max);
                double s = p.scale(0);
                assertEquals(Math.scalb(1.0, Math.getExponent(s)), s, 0.0, "scale " + s);
                double plain = range(spec.withPowerOfTwoScale(false), min, max).scale(0);
                assertTrue(s >= plain, "power of two " + s + " for scale " + plain);
                assertTrue(s < 2 * plain, "power of two " + s + " for scale " + plain);
            }
        }
    }

    @Test
    void perChannelRangesAreIndependent() {
        QuantSpec spec = QuantSpec.perChannel(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC, 0);
        QuantParams p = QuantParams.fromRange(spec, new double[] {-1.27, 0.0, -0.1}, new double[] {0.5, 0.0, 2.54});
        assertEquals((float) 0.01, p.scale(0), 0.0);
        assertEquals(1.0, p.scale(1), 0.0);
        assertEquals((float) 0.02, p.scale(2), 0.0);
        assertEquals(0, p.axis());
    }
}
