package org.qat4j.qat;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Range estimator that uses the minimum and maximum of everything observed since the last reset. */
public final class MinMaxEstimator implements RangeEstimator {

    private final QuantSpec spec;
    private double[] min;
    private double[] max;

    public MinMaxEstimator(QuantSpec spec) {
        this.spec = spec;
    }

    @Override
    public void observe(INDArray x, String tensorName) {
        ChannelLayout layout = ChannelStatistics.layout(x, spec, min == null ? 0 : min.length, tensorName);
        ChannelStatistics stats = ChannelStatistics.of(ChannelStatistics.values(x, tensorName), layout);
        if (min == null) {
            min = stats.min;
            max = stats.max;
            return;
        }
        for (int c = 0; c < min.length; c++) {
            min[c] = Math.min(min[c], stats.min[c]);
            max[c] = Math.max(max[c], stats.max[c]);
        }
    }

    @Override
    public boolean hasObservations() {
        return min != null;
    }

    @Override
    public QuantParams params() {
        if (min == null) {
            throw new IllegalStateException("Min-max estimator has observed no tensor: calibrate first.");
        }
        return QuantParams.fromRange(spec, min, max);
    }

    /** Returns the observed minima per channel (a copy). */
    public double[] min() {
        return min == null ? null : min.clone();
    }

    public double[] max() {
        return max == null ? null : max.clone();
    }

    @Override
    public void reset() {
        min = null;
        max = null;
    }

    @Override
    public QuantSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return "MinMaxEstimator(min=" + Arrays.toString(min) + ", max=" + Arrays.toString(max) + ")";
    }
}
