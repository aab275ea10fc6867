package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRawImages() throws IOException {
        Path file = Files.write(dir.resolve("images-idx3-ubyte"), SyntheticIdx.images(3, 4, 5));

        IdxImages images = IdxReader.readImages(file);

        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        assertEquals(60, images.pixels().length);
        assertEquals(3, images.pixels()[0] & 0xff);
        assertEquals(10, images.pixels()[1] & 0xff);
        // Pixel 59: 59 * 7 + 3 = 416, and 416 mod 256 = 160, stored as the byte 0xa0.
        assertEquals(160, images.pixels()[59] & 0xff);
        assertEquals("images-idx3-ubyte", images.source());
    }

    @Test
    void readsGzipImagesLikeRaw() throws IOException {
        byte[] raw = SyntheticIdx.images(2, 3, 3);
        Path file = Files.write(dir.resolve("images.gz"), SyntheticIdx.gzip(raw));

        IdxImages images = IdxReader.readImages(file);

        assertEquals(2, images.count());
        assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), images.pixels());
    }

    @Test
    void readsRawAndGzipLabels() throws IOException {
        Path raw = Files.write(dir.resolve("labels"), SyntheticIdx.labels(5, 0, 4, 9));
        Path gzip = Files.write(dir.resolve("labels.gz"), SyntheticIdx.gzip(SyntheticIdx.labels(5, 0, 4, 9)));

        assertArrayEquals(new byte[] {5, 0, 4, 9}, IdxReader.readLabels(raw).labels());
        assertArrayEquals(new byte[] {5, 0, 4, 9}, IdxReader.readLabels(gzip).labels());
    }

    @Test
    void truncatedImagesNameExpectedAndFoundLength() throws IOException {
        byte[] full = SyntheticIdx.images(10, 28, 28);
        Path file = Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, 1024));

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertEquals("train-images-idx3-ubyte: expected 7856 bytes, found 1024 (file truncated?).", e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] longer = Arrays.copyOf(SyntheticIdx.labels(1, 2), 8 + 2 + 3);

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.parseLabels("labels", longer));

        assertEquals("labels: expected 10 bytes, found 13 (trailing data?).", e.getMessage());
    }

    @Test
    void fileShorterThanHeaderIsRejected() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.parseImages("images", new byte[] {0, 0, 8, 3, 0}));

        assertEquals("images: expected at least 16 bytes (the IDX image header), found 5 (file truncated?).",
                e.getMessage());
    }

    @Test
    void labelMagicInImageFileIsRejected() {
        byte[] labels = SyntheticIdx.labels(1, 2, 3, 4, 5, 6, 7, 8);

        DatasetException e = assertThrows(DatasetException.class,
                () -> IdxReader.parseImages("train-images-idx3-ubyte", labels));

        assertEquals("train-images-idx3-ubyte: magic number 0x00000801, expected 0x00000803 (IDX unsigned-byte"
                + " images): the file contains labels, so it is probably stored under the wrong name.", e.getMessage());
    }

    @Test
    void nonByteDataTypeIsRejected() {
        byte[] floats = SyntheticIdx.labels(1, 2);
        floats[2] = 0x0d;

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.parseLabels("labels", floats));

        assertEquals("labels: magic number 0x00000d01, expected 0x00000801 (IDX unsigned-byte labels): data type"
                + " 0x0d is not unsigned byte (0x08).", e.getMessage());
    }

    @Test
    void textFileIsNotIdx() {
        byte[] text = "<html><body>Not found</body></html>".getBytes();

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.parseLabels("labels", text));

        assertEquals("labels: magic number 0x3c68746d, expected 0x00000801 (IDX unsigned-byte labels): this is"
                + " not an IDX file.", e.getMessage());
    }

    @Test
    void negativeCountIsRejected() {
        byte[] content = SyntheticIdx.images(1, 2, 2);
        ByteBuffer.wrap(content).putInt(4, -5);

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.parseImages("images", content));

        assertEquals("images: invalid header, image count is -5, expected at least 0 (file damaged?).",
                e.getMessage());
    }

    @Test
    void oversizedHeaderIsRejected() {
        byte[] content = SyntheticIdx.images(1, 2, 2);
        ByteBuffer.wrap(content).putInt(4, 100_000).putInt(8, 1000).putInt(12, 1000);

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.parseImages("images", content));

        assertTrue(e.getMessage().startsWith("images: header declares 100000000016 bytes"), e.getMessage());
    }

    @Test
    void corruptGzipStreamIsRejected() throws IOException {
        byte[] gzip = SyntheticIdx.gzip(SyntheticIdx.images(4, 28, 28));
        // Flip bytes in the middle of the deflate data: the stream no longer decodes or fails its CRC.
        for (int i = 20; i < 40; i++) {
            gzip[i] ^= (byte) 0x5a;
        }
        Path file = Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip);

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith("t10k-images-idx3-ubyte.gz: corrupt gzip stream ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("delete " + file + " and fetch it again."), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsRejected() throws IOException {
        byte[] gzip = SyntheticIdx.gzip(SyntheticIdx.images(4, 28, 28));
        Path file = Files.write(dir.resolve("images.gz"), Arrays.copyOf(gzip, gzip.length / 2));

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));

        assertEquals("images.gz: corrupt gzip stream (Unexpected end of ZLIB input stream): delete " + file
                + " and fetch it again.", e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent");

        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(file));

        assertEquals(file + ": file not found.", e.getMessage());
    }
}
