package org.qat4j.qat;

import java.util.Arrays;

/**
 * Range estimator that clips the tails: the range is {@code [P(100 - p), P(p)]} where {@code P(q)} is
 * the q-th percentile of the observed values (linear interpolation between order statistics). With
 * {@code p = 100} it equals min-max. Beyond {@link SampledRangeEstimator#TOTAL_SAMPLES} observed values
 * the percentiles come from a uniform sample.
 */
public final class PercentileRangeEstimator extends SampledRangeEstimator {

    public static final double DEFAULT_PERCENTILE = 99.99;

    private final double percentile;

    public PercentileRangeEstimator(QuantSpec spec) {
        this(spec, DEFAULT_PERCENTILE);
    }

    public PercentileRangeEstimator(QuantSpec spec, double percentile) {
        super(spec);
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("Percentile " + percentile
                    + " is out of range: use a value in (50, 100], for example 99.99.");
        }
        this.percentile = percentile;
    }

    @Override
    double[] chooseRange(float[] values, double channelMin, double channelMax) {
        if (percentile == 100) {
            return new double[] {channelMin, channelMax};
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {quantile(sorted, 100 - percentile), quantile(sorted, percentile)};
    }

    /** Returns the q-th percentile of sorted values, interpolating linearly between neighbours. */
    static double quantile(float[] sorted, double q) {
        double position = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    public double percentile() {
        return percentile;
    }
}
