package org.qat4j.datasets;

/**
 * Images read from an IDX file: {@code count} images of {@code rows x cols} unsigned bytes,
 * stored image after image, row-major, in {@code pixels}.
 *
 * @param source file name the images came from, used in error messages
 */
public record IdxImages(String source, int count, int rows, int cols, byte[] pixels) {

    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(source + ": " + count + " images of " + rows + "x" + cols
                    + " need " + (long) count * rows * cols + " pixels, got " + pixels.length);
        }
    }

    public int pixelsPerImage() {
        return rows * cols;
    }
}
