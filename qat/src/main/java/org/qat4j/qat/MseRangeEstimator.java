package org.qat4j.qat;

/**
 * Range estimator that minimises the mean squared error {@code mean((x - x_hat)^2)} by grid search over
 * clipping ranges {@code [a * min, a * max]} for {@code a = 1, (K-1)/K, ..., 1/K} (Nagel et al. 2021,
 * "A White Paper on Neural Network Quantization", section 3.4). {@code a = 1} is the min-max range, so the
 * chosen range never has a larger error on the observed values than min-max.
 *
 * <p>NOTE: both ends shrink by the same factor, a one-dimensional search. An asymmetric range whose two
 * tails differ could get a lower error from a two-dimensional search over both ends.
 */
public final class MseRangeEstimator extends SampledRangeEstimator {

    public static final int DEFAULT_CANDIDATES = 100;

    private final int candidates;

    public MseRangeEstimator(QuantSpec spec) {
        this(spec, DEFAULT_CANDIDATES);
    }

    public MseRangeEstimator(QuantSpec spec, int candidates) {
        super(spec);
        if (candidates < 1) {
            throw new IllegalArgumentException("Number of candidate ranges " + candidates
                    + " is invalid: use at least 1 (100 is typical).");
        }
        this.candidates = candidates;
    }

    @Override
    double[] chooseRange(float[] values, double channelMin, double channelMax) {
        double lo = Math.min(channelMin, 0.0);
        double hi = Math.max(channelMax, 0.0);
        double bestError = Double.POSITIVE_INFINITY;
        double bestFactor = 1.0;
        for (int k = candidates; k >= 1; k--) {
            double factor = (double) k / candidates;
            double s = QuantParams.scaleForRange(spec, factor * lo, factor * hi);
            int z = QuantParams.zeroPointFor(spec, factor * lo, s);
            double error = QuantError.mse(values, spec.grid(), s, z);
            if (error < bestError) {
                bestError = error;
                bestFactor = factor;
            }
        }
        return new double[] {bestFactor * lo, bestFactor * hi};
    }

    public int candidates() {
        return candidates;
    }
}
