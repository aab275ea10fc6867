package org.qat4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image reader of {@code qat4j infer --image}: PGM (P2, P5) and PNG, checked against hand values. */
class InferImageTest {

    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;

    @TempDir
    Path temp;

    /** Value {@code i % 16} at pixel {@code i}: every level of a 4-bit grid. */
    private static int fourBitValue(int i) {
        return i % 16;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = temp.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] concat(String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static String plainPgm(String header, int count) {
        StringBuilder text = new StringBuilder(header);
        for (int i = 0; i < count; i++) {
            text.append(fourBitValue(i)).append(i % SIDE == SIDE - 1 ? '\n' : ' ');
        }
        return text.toString();
    }

    @Test
    void plainPgmWithCommentsAndMaxvalFifteen() throws IOException {
        Path file = write("digit.pgm", plainPgm("P2\n# written by hand\n28 28\n# four bits\n15\n", PIXELS)
                .getBytes(StandardCharsets.US_ASCII));

        byte[] pixels = InferCommand.readImage(file);

        assertEquals(PIXELS, pixels.length);
        // 255 / 15 = 17 exactly, so level v maps to 17 v: 0, 17, ..., 119 (v = 7), 136 (v = 8), ..., 255.
        assertEquals(0, pixels[0] & 0xff);
        assertEquals(17, pixels[1] & 0xff);
        assertEquals(119, pixels[7] & 0xff);
        assertEquals(136, pixels[8] & 0xff);
        assertEquals(255, pixels[15] & 0xff);
        assertEquals(0, pixels[16] & 0xff);
        for (int i = 0; i < PIXELS; i++) {
            assertEquals(17 * fourBitValue(i), pixels[i] & 0xff, "pixel " + i);
        }
    }

    @Test
    void binaryPgmWithCommentsAndMaxvalFifteen() throws IOException {
        byte[] data = new byte[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            data[i] = (byte) fourBitValue(i);
        }
        // A comment after the width, and a data byte 10 ('\n') that must not be read as a separator.
        Path file = write("digit.pgm", concat("P5\n# binary\n28 # width\n28\n15\n", data));

        byte[] pixels = InferCommand.readImage(file);

        assertEquals(17 * 10, pixels[10] & 0xff);
        for (int i = 0; i < PIXELS; i++) {
            assertEquals(17 * fourBitValue(i), pixels[i] & 0xff, "pixel " + i);
        }
    }

    @Test
    void binaryPgmMaxval255KeepsBytes() throws IOException {
        byte[] data = new byte[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            data[i] = (byte) (i * 7);
        }

        byte[] pixels = InferCommand.readImage(write("digit.pgm", concat("P5 28 28 255\n", data)));

        assertArrayEquals(data, pixels);
    }

    @Test
    void maxvalThreeRoundsHalfUp() {
        // (v * 255 + 1) / 3 for v = 0..3: 0, 85, 170, 255.
        byte[] pixels = InferCommand.Pgm.read(("P2 28 28 3\n" + threeLevelValues()).getBytes(StandardCharsets.US_ASCII),
                Path.of("levels.pgm"), SIDE);

        assertEquals(0, pixels[0] & 0xff);
        assertEquals(85, pixels[1] & 0xff);
        assertEquals(170, pixels[2] & 0xff);
        assertEquals(255, pixels[3] & 0xff);
    }

    private static String threeLevelValues() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < PIXELS; i++) {
            text.append(i % 4).append(' ');
        }
        return text.toString();
    }

    @Test
    void pngReadAsGrey() throws IOException {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                image.getRaster().setSample(x, y, 0, (y * SIDE + x) % 256);
            }
        }
        Path file = temp.resolve("digit.png");
        ImageIO.write(image, "png", file.toFile());

        byte[] pixels = InferCommand.readImage(file);

        for (int i = 0; i < PIXELS; i++) {
            assertEquals(i % 256, pixels[i] & 0xff, "pixel " + i);
        }
    }

    @Test
    void sixteenBitGreyPngScaledToBytes() throws IOException {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(0, 0, 0, 65535);
        image.getRaster().setSample(1, 0, 0, 257 * 100);
        image.getRaster().setSample(2, 0, 0, 128);
        Path file = temp.resolve("deep.png");
        ImageIO.write(image, "png", file.toFile());

        byte[] pixels = InferCommand.readImage(file);

        assertEquals(255, pixels[0] & 0xff);
        assertEquals(100, pixels[1] & 0xff);
        // (128 * 255 + 32767) / 65535 rounds 0.498 down.
        assertEquals(0, pixels[2] & 0xff);
        assertEquals(0, pixels[3] & 0xff);
    }

    @Test
    void colourPngReadAsLuma() throws IOException {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        image.setRGB(1, 0, 0x00ff00);
        image.setRGB(2, 0, 0x0000ff);
        image.setRGB(3, 0, 0x0a141e);
        image.setRGB(4, 0, 0xffffff);
        Path file = temp.resolve("colour.png");
        ImageIO.write(image, "png", file.toFile());

        byte[] pixels = InferCommand.readImage(file);

        // (299 r + 587 g + 114 b + 500) / 1000
        assertEquals(76, pixels[0] & 0xff);
        assertEquals(150, pixels[1] & 0xff);
        assertEquals(29, pixels[2] & 0xff);
        assertEquals(18, pixels[3] & 0xff);
        assertEquals(255, pixels[4] & 0xff);
        assertEquals(0, pixels[5] & 0xff);
    }

    @Test
    void rejectsWrongSize() throws IOException {
        Path pgm = write("small.pgm", plainPgm("P2\n27 28\n15\n", 27 * 28).getBytes(StandardCharsets.US_ASCII));
        UserInputException pgmError = assertThrows(UserInputException.class, () -> InferCommand.readImage(pgm));
        assertEquals("Image " + pgm + " is 27x28 pixels; expected 28x28 (resize it first).", pgmError.getMessage());

        Path png = temp.resolve("wide.png");
        ImageIO.write(new BufferedImage(32, 28, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        UserInputException pngError = assertThrows(UserInputException.class, () -> InferCommand.readImage(png));
        assertEquals("Image " + png + " is 32x28 pixels; expected 28x28 (resize it first).", pngError.getMessage());
    }

    @Test
    void rejectsTruncatedBinaryPgm() throws IOException {
        Path file = write("cut.pgm", concat("P5\n28 28\n255\n", new byte[100]));

        UserInputException error = assertThrows(UserInputException.class, () -> InferCommand.readImage(file));

        assertEquals("Image " + file + " is truncated: expected 784 pixel bytes, found 100.", error.getMessage());
    }

    @Test
    void rejectsMissingPlainValues() throws IOException {
        Path file = write("cut.pgm", plainPgm("P2 28 28 15\n", 783).getBytes(StandardCharsets.US_ASCII));

        UserInputException error = assertThrows(UserInputException.class, () -> InferCommand.readImage(file));

        assertEquals("Image " + file + ": expected a number for the PGM pixel 783 at byte " + Files.size(file)
                + " (file truncated or not a PGM file?).", error.getMessage());
    }

    @Test
    void rejectsValueAboveMaxval() throws IOException {
        String text = plainPgm("P2 28 28 15\n", PIXELS).replaceFirst("^(P2 28 28 15\n0 1) 2 ", "$1 200 ");
        Path plain = write("plain.pgm", text.getBytes(StandardCharsets.US_ASCII));
        UserInputException plainError = assertThrows(UserInputException.class, () -> InferCommand.readImage(plain));
        assertEquals("Image " + plain + ": pixel 2 is 200, above the maximum value 15 of the PGM header.",
                plainError.getMessage());

        byte[] data = new byte[PIXELS];
        data[5] = 16;
        Path binary = write("binary.pgm", concat("P5 28 28 15\n", data));
        UserInputException binaryError = assertThrows(UserInputException.class, () -> InferCommand.readImage(binary));
        assertEquals("Image " + binary + ": pixel 5 is 16, above the maximum value 15 of the PGM header.",
                binaryError.getMessage());
    }

    @Test
    void rejectsBadHeader() throws IOException {
        Path sixteenBit = write("deep.pgm", "P2 28 28 65535\n".getBytes(StandardCharsets.US_ASCII));
        UserInputException deep = assertThrows(UserInputException.class, () -> InferCommand.readImage(sixteenBit));
        assertEquals("Image " + sixteenBit + " has maximum value 65535; only 8-bit PGM files (1 to 255) are supported.",
                deep.getMessage());

        Path zero = write("zero.pgm", "P2 28 28 0\n".getBytes(StandardCharsets.US_ASCII));
        assertThrows(UserInputException.class, () -> InferCommand.readImage(zero));

        Path huge = write("huge.pgm", "P2 99999999999 28 255\n".getBytes(StandardCharsets.US_ASCII));
        UserInputException hugeError = assertThrows(UserInputException.class, () -> InferCommand.readImage(huge));
        assertEquals("Image " + huge + ": the PGM width 99999999999 at byte 3 is too large.", hugeError.getMessage());

        Path noHeight = write("short.pgm", "P5 28".getBytes(StandardCharsets.US_ASCII));
        UserInputException shortError = assertThrows(UserInputException.class, () -> InferCommand.readImage(noHeight));
        assertEquals("Image " + noHeight + ": expected a number for the PGM height at byte 5 (file truncated or not "
                + "a PGM file?).", shortError.getMessage());
    }

    @Test
    void rejectsOtherFiles() throws IOException {
        Path text = write("notes.txt", "hello".getBytes(StandardCharsets.US_ASCII));
        UserInputException textError = assertThrows(UserInputException.class, () -> InferCommand.readImage(text));
        assertEquals("Image " + text + " is neither a PGM nor a PNG file.", textError.getMessage());

        Path missing = temp.resolve("missing.pgm");
        UserInputException missingError = assertThrows(UserInputException.class, () -> InferCommand.readImage(missing));
        assertEquals("Image " + missing + " not found.", missingError.getMessage());
    }
}
