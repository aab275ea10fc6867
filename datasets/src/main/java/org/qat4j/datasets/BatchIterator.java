package org.qat4j.datasets;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Mini-batches of one data split in a fixed image order. Each batch is a new FLOAT array of
 * normalised pixels, and the last batch contains the remaining images and may be smaller.
 */
public final class BatchIterator implements Iterator<Batch> {

    private final DataSplit split;
    private final int[] order;
    private final int batchSize;
    private final float[] lookupTable;
    private final Layout layout;
    private int next;

    BatchIterator(DataSplit split, int[] order, int batchSize, Normalization normalization, Layout layout) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batch size " + batchSize + " is invalid: use 1 or more.");
        }
        this.split = split;
        this.order = order;
        this.batchSize = batchSize;
        this.lookupTable = normalization.lookupTable();
        this.layout = layout;
    }

    /** Number of batches in one pass, the last one included. */
    public int batchCount() {
        return (order.length + batchSize - 1) / batchSize;
    }

    @Override
    public boolean hasNext() {
        return next < order.length;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No batches left: all " + order.length + " images were returned.");
        }
        int from = next;
        int to = Math.min(order.length, from + batchSize);
        next = to;

        int[] indices = Arrays.copyOfRange(order, from, to);
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = split.label(indices[i]);
        }
        return new Batch(split.features(order, from, to, lookupTable, layout), labels, indices);
    }
}
