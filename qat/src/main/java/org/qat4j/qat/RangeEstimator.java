package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An observer: collects statistics of the tensors passed to a quantizer and turns them into a scale and zero
 * point for its {@link QuantSpec} (grid, scheme, per-tensor or per-channel axis).
 */
public interface RangeEstimator {

    /**
     * Adds the statistics of {@code x}.
     *
     * @param tensorName named in the error when {@code x} contains NaN or an infinity
     */
    void observe(INDArray x, String tensorName);

    boolean hasObservations();

    /** Computes scale and zero point from the statistics so far; fails if nothing was observed. */
    QuantParams params();

    /** Forgets all statistics. */
    void reset();

    QuantSpec spec();
}
