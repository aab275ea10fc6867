package org.qat4j.experiments.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BitWidthsTest {

    @Test
    void parsesPairAndSingleNumber() {
        assertEquals(new BitWidths(4, 8), BitWidths.parse("w4a8"));
        assertEquals(new BitWidths(8, 8), BitWidths.parse(" W8A8 "));
        assertEquals(new BitWidths(4, 4), BitWidths.parse("4"));
        assertEquals(new BitWidths(2, 2), BitWidths.parse("w2a2"));
    }

    @Test
    void labels() {
        assertEquals("w4a8", new BitWidths(4, 8).id());
        assertEquals("W4A8", new BitWidths(4, 8).toString());
    }

    @Test
    void rejectsMalformedText() {
        for (String text : new String[] {"w4", "a4w4", "w4a", "four", "", "w4a8x", "w99999999999a4"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> BitWidths.parse(text));
            assertEquals("Bit widths '" + text + "' are invalid: write w4a8, or 4 for w4a4", error.getMessage());
        }
    }

    @Test
    void rejectsWidthOutsideGrid() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> BitWidths.parse("w1a8"));
        assertEquals("Bit width 1 is out of range: use 2 to 16.", one.getMessage());
        IllegalArgumentException seventeen = assertThrows(IllegalArgumentException.class, () -> BitWidths.parse("17"));
        assertEquals("Bit width 17 is out of range: use 2 to 16.", seventeen.getMessage());
    }

    @Test
    void rejectsWidthAboveEngine() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> BitWidths.parse("w9a9"));
        assertEquals("Bit widths W9A9 are not supported by the study: the integer engine runs 2 to 8 bits; "
                + "use w2a2 to w8a8", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BitWidths.parse("w8a16"));
    }
}
