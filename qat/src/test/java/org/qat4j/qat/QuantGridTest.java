package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantGridTest {

    @Test
    void gridBoundsForEveryKind() {
        int[][] expected = {
            // bits, unsigned qmin, qmax, signed qmin, qmax, narrow qmin, qmax
            {2, 0, 3, -2, 1, -1, 1},
            {3, 0, 7, -4, 3, -3, 3},
            {4, 0, 15, -8, 7, -7, 7},
            {8, 0, 255, -128, 127, -127, 127},
            {16, 0, 65535, -32768, 32767, -32767, 32767},
        };
        for (int[] row : expected) {
            int bits = row[0];
            assertEquals(row[1], QuantGrid.unsigned(bits).qmin(), "unsigned qmin, bits " + bits);
            assertEquals(row[2], QuantGrid.unsigned(bits).qmax(), "unsigned qmax, bits " + bits);
            assertEquals(row[3], QuantGrid.signed(bits).qmin(), "signed qmin, bits " + bits);
            assertEquals(row[4], QuantGrid.signed(bits).qmax(), "signed qmax, bits " + bits);
            assertEquals(row[5], QuantGrid.narrowSigned(bits).qmin(), "narrow qmin, bits " + bits);
            assertEquals(row[6], QuantGrid.narrowSigned(bits).qmax(), "narrow qmax, bits " + bits);
        }
    }

    @Test
    void levelsCountGridPoints() {
        assertEquals(256, QuantGrid.unsigned(8).levels());
        assertEquals(255, QuantGrid.narrowSigned(8).levels());
        assertEquals(3, QuantGrid.narrowSigned(2).levels());
    }

    @Test
    void bitWidthOneRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantGrid.signed(1));
        assertEquals("Bit width 1 is out of range: use 2 to 16.", e.getMessage());
    }

    @Test
    void bitWidthSeventeenRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuantGrid.unsigned(17));
        assertEquals("Bit width 17 is out of range: use 2 to 16.", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantGrid.narrowSigned(0));
    }
}
