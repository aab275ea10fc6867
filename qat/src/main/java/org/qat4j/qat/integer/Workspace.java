package org.qat4j.qat.integer;

/**
 * Scratch buffers of one engine thread, grown on demand and reused across batches, so the
 * inner loops allocate nothing.
 */
final class Workspace {

    private int[] accumulators = new int[0];
    private byte[] columns = new byte[0];

    /** Returns an int buffer of at least {@code size} elements; its contents are undefined. */
    int[] accumulators(int size) {
        if (accumulators.length < size) {
            accumulators = new int[size];
        }
        return accumulators;
    }

    /** Returns a byte buffer of at least {@code size} elements for im2col; its contents are undefined. */
    byte[] columns(int size) {
        if (columns.length < size) {
            columns = new byte[size];
        }
        return columns;
    }
}
