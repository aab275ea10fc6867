package org.qat4j.datasets;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch.
 *
 * @param features normalised images, FLOAT, in the layout the iterator was asked for
 * @param labels class of each image, in the same order as {@code features}
 * @param indices position of each image in its data split
 */
public record Batch(INDArray features, int[] labels, int[] indices) {

    public int size() {
        return labels.length;
    }
}
