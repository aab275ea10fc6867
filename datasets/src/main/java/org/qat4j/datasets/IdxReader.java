package org.qat4j.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads IDX files, the format of the MNIST release: a big-endian magic number
 * {@code 0x0000TTDD} (data type {@code TT}, {@code DD} dimensions), one big-endian int32 size
 * per dimension, then the data. Only unsigned-byte data ({@code TT = 0x08}) is accepted:
 * images have magic {@code 0x00000803} (count, rows, cols) and labels {@code 0x00000801}
 * (count). A file may be stored raw or gzip-compressed, detected from the gzip magic
 * {@code 0x1f 0x8b} in its first two bytes.
 *
 * <p>Every check fails with a {@link DatasetException} naming the file, the value found and
 * the value expected.
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    static final int IMAGES_HEADER_BYTES = 16;
    static final int LABELS_HEADER_BYTES = 8;

    private static final Logger log = LoggerFactory.getLogger(IdxReader.class);

    private IdxReader() {
    }

    /** Reads and validates an IDX image file. */
    public static IdxImages readImages(Path file) {
        return parseImages(file.getFileName().toString(), readContent(file));
    }

    /** Reads and validates an IDX label file. */
    public static IdxLabels readLabels(Path file) {
        return parseLabels(file.getFileName().toString(), readContent(file));
    }

    /**
     * Reads the whole content of an IDX file, decompressed when the file is gzip-compressed.
     * The result is the IDX byte stream, header included.
     */
    public static byte[] readContent(Path file) {
        String name = file.getFileName().toString();
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            boolean gzip = startsWithGzipMagic(in);
            byte[] content = (gzip ? new GZIPInputStream(in) : in).readAllBytes();
            log.debug("Read {} ({} bytes{})", file, content.length, gzip ? " after gzip decompression" : "");
            return content;
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": file not found.", e);
        } catch (ZipException | EOFException e) {
            throw new DatasetException(name + ": corrupt gzip stream (" + e.getMessage() + "): delete "
                    + file + " and fetch it again.", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read the file (" + e + ").", e);
        }
    }

    /**
     * Parses the content of an IDX image file.
     *
     * @param name file name used in error messages
     */
    public static IdxImages parseImages(String name, byte[] content) {
        requireHeader(name, content, IMAGES_HEADER_BYTES, "image");
        ByteBuffer header = ByteBuffer.wrap(content);
        requireMagic(name, header.getInt(0), IMAGES_MAGIC, "images");
        int count = requireDimension(name, "image count", header.getInt(4), 0);
        int rows = requireDimension(name, "rows", header.getInt(8), 1);
        int cols = requireDimension(name, "cols", header.getInt(12), 1);

        long expectedLength = IMAGES_HEADER_BYTES + (long) count * rows * cols;
        requireLength(name, content.length, expectedLength);

        byte[] pixels = Arrays.copyOfRange(content, IMAGES_HEADER_BYTES, content.length);
        return new IdxImages(name, count, rows, cols, pixels);
    }

    /**
     * Parses the content of an IDX label file.
     *
     * @param name file name used in error messages
     */
    public static IdxLabels parseLabels(String name, byte[] content) {
        requireHeader(name, content, LABELS_HEADER_BYTES, "label");
        ByteBuffer header = ByteBuffer.wrap(content);
        requireMagic(name, header.getInt(0), LABELS_MAGIC, "labels");
        int count = requireDimension(name, "label count", header.getInt(4), 0);

        requireLength(name, content.length, LABELS_HEADER_BYTES + (long) count);

        return new IdxLabels(name, Arrays.copyOfRange(content, LABELS_HEADER_BYTES, content.length));
    }

    /**
     * Returns a stream of the decompressed bytes when {@code in} starts with the gzip magic,
     * else {@code in} itself.
     */
    static InputStream decompressIfGzip(BufferedInputStream in) throws IOException {
        return startsWithGzipMagic(in) ? new GZIPInputStream(in) : in;
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    private static void requireHeader(String name, byte[] content, int headerBytes, String kind) {
        if (content.length < headerBytes) {
            throw new DatasetException(String.format(
                    "%s: expected at least %d bytes (the IDX %s header), found %d (file truncated?).",
                    name, headerBytes, kind, content.length));
        }
    }

    private static void requireMagic(String name, int magic, int expected, String kind) {
        if (magic == expected) {
            return;
        }
        String hint;
        if (magic == IMAGES_MAGIC || magic == LABELS_MAGIC) {
            hint = "the file contains " + (magic == IMAGES_MAGIC ? "images" : "labels")
                    + ", so it is probably stored under the wrong name";
        } else if ((magic >>> 16) == 0 && ((magic >>> 8) & 0xff) != 0x08) {
            hint = String.format("data type 0x%02x is not unsigned byte (0x08)", (magic >>> 8) & 0xff);
        } else {
            hint = "this is not an IDX file";
        }
        throw new DatasetException(String.format(
                "%s: magic number 0x%08x, expected 0x%08x (IDX unsigned-byte %s): %s.",
                name, magic, expected, kind, hint));
    }

    private static int requireDimension(String name, String dimension, int value, int min) {
        if (value < min) {
            throw new DatasetException(String.format(
                    "%s: invalid header, %s is %d, expected at least %d (file damaged?).",
                    name, dimension, value, min));
        }
        return value;
    }

    private static void requireLength(String name, long actual, long expected) {
        if (expected > Integer.MAX_VALUE - 8) {
            throw new DatasetException(String.format(
                    "%s: header declares %d bytes of data, more than one Java array can hold (file damaged?).",
                    name, expected));
        }
        if (actual != expected) {
            throw new DatasetException(String.format("%s: expected %d bytes, found %d (%s).",
                    name, expected, actual, actual < expected ? "file truncated?" : "trailing data?"));
        }
    }
}
