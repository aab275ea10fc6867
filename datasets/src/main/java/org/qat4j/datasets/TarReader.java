package org.qat4j.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the entries of a POSIX (ustar) tar stream, as written by {@code npm pack}. A tar
 * stream is a sequence of 512-byte header blocks, each followed by the entry's data padded to
 * a multiple of 512 bytes, and ends with two zero blocks. Names longer than 100 characters use
 * the ustar prefix field. Pax extended headers are skipped, so pax-only long names are not
 * supported.
 */
final class TarReader {

    private static final int BLOCK = 512;

    /**
     * One entry of the archive.
     *
     * @param type the header's type flag: {@code '0'} or NUL for a regular file, {@code '5'} for a directory
     */
    record Entry(String name, long size, char type) {

        boolean isFile() {
            return type == '0' || type == '\0';
        }
    }

    private final InputStream in;
    private final String source;
    private long remaining;
    private long padding;

    /** @param source archive name used in error messages */
    TarReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Moves to the next entry, skipping what is left of the current one, and returns null at the end. */
    Entry next() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;

        while (true) {
            byte[] header = in.readNBytes(BLOCK);
            if (header.length == 0 || isZero(header)) {
                return null;
            }
            if (header.length < BLOCK) {
                throw new EOFException(source + ": tar header cut short after " + header.length + " bytes");
            }
            verifyChecksum(header);

            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            long size = size(header);
            char type = (char) (header[156] & 0xff);
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;

            if (type == 'x' || type == 'g') {
                skipFully(padded);
                continue;
            }
            remaining = size;
            padding = padded - size;
            return new Entry(prefix.isEmpty() ? name : prefix + "/" + name, size, type);
        }
    }

    /** Returns a stream over the current entry's data. Closing it does not close the archive. */
    InputStream entryStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int count = in.read(buffer, offset, (int) Math.min(length, remaining));
                if (count < 0) {
                    throw new EOFException(source + ": tar entry cut short, " + remaining + " bytes missing");
                }
                remaining -= count;
                return count;
            }
        };
    }

    private void skipFully(long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException(source + ": tar stream ends " + left + " bytes early");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private void verifyChecksum(byte[] header) throws IOException {
        long expected = octal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            // The checksum field itself counts as eight spaces.
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
        }
        if (sum != expected) {
            throw new IOException(source + ": tar header checksum " + expected + ", computed " + sum
                    + " (archive damaged or not a tar file)");
        }
    }

    private long size(byte[] header) throws IOException {
        if ((header[124] & 0x80) != 0) {
            // GNU base-256 encoding for sizes of 8 GiB and more: big-endian in the remaining bits.
            long value = header[124] & 0x7f;
            for (int i = 125; i < 136; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        return octal(header, 124, 12);
    }

    private long octal(byte[] header, int offset, int length) throws IOException {
        String field = text(header, offset, length).trim();
        if (field.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(field, 8);
        } catch (NumberFormatException e) {
            throw new IOException(source + ": invalid octal number '" + field + "' in tar header", e);
        }
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
