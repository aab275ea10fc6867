package org.qat4j.qat;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Range estimator that follows the per-batch minimum and maximum with an exponential moving average:
 * {@code min <- (1 - c) * min + c * min_batch} (likewise for max). The first batch sets the range.
 */
public final class RunningMinMaxEstimator implements RangeEstimator {

    public static final double DEFAULT_MOMENTUM = 0.01;

    private final QuantSpec spec;
    private final double momentum;
    private double[] min;
    private double[] max;

    public RunningMinMaxEstimator(QuantSpec spec) {
        this(spec, DEFAULT_MOMENTUM);
    }

    public RunningMinMaxEstimator(QuantSpec spec, double momentum) {
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("Running min-max momentum " + momentum
                    + " is out of range: use a value in (0, 1], for example 0.01.");
        }
        this.spec = spec;
        this.momentum = momentum;
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
            min[c] = (1 - momentum) * min[c] + momentum * stats.min[c];
            max[c] = (1 - momentum) * max[c] + momentum * stats.max[c];
        }
    }

    @Override
    public boolean hasObservations() {
        return min != null;
    }

    @Override
    public QuantParams params() {
        if (min == null) {
            throw new IllegalStateException("Running min-max estimator has observed no tensor: calibrate first.");
        }
        return QuantParams.fromRange(spec, min, max);
    }

    public double[] min() {
        return min == null ? null : min.clone();
    }

    public double[] max() {
        return max == null ? null : max.clone();
    }

    public double momentum() {
        return momentum;
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
        return "RunningMinMaxEstimator(c=" + momentum + ", min=" + Arrays.toString(min)
                + ", max=" + Arrays.toString(max) + ")";
    }
}
