package org.qat4j.datasets;

/** Shape of a batch of images handed to a network. */
public enum Layout {
    /** {@code [N, rows * cols]}, for fully connected networks. */
    FLAT,
    /** {@code [N, 1, rows, cols]}, one channel, for convolutional networks. */
    NCHW;

    /** Returns the shape of {@code count} images of {@code rows x cols} in this layout. */
    public long[] shape(int count, int rows, int cols) {
        return switch (this) {
            case FLAT -> new long[] {count, (long) rows * cols};
            case NCHW -> new long[] {count, 1, rows, cols};
        };
    }
}
