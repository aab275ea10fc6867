package org.qat4j.qat;

/** The range estimators a {@link QuantConfig} can name, with a factory for each. */
public enum RangeEstimatorType {
    /** Minimum and maximum of everything observed. */
    MIN_MAX,
    /** Exponential moving average of the per-batch minimum and maximum. */
    RUNNING_MIN_MAX,
    /** Clipping range with the lowest mean squared error, by grid search. */
    MSE,
    /** Percentiles of the observed values. */
    PERCENTILE,
    /** LSQ initial scale {@code 2 * mean(|v|) / sqrt(qmax)}. */
    LSQ;

    /**
     * Creates an estimator of this type.
     *
     * @param momentum   EMA factor {@code c} for {@link #RUNNING_MIN_MAX}
     * @param percentile upper percentile for {@link #PERCENTILE}
     */
    public RangeEstimator create(QuantSpec spec, double momentum, double percentile) {
        return switch (this) {
            case MIN_MAX -> new MinMaxEstimator(spec);
            case RUNNING_MIN_MAX -> new RunningMinMaxEstimator(spec, momentum);
            case MSE -> new MseRangeEstimator(spec);
            case PERCENTILE -> new PercentileRangeEstimator(spec, percentile);
            case LSQ -> new LsqInitEstimator(spec);
        };
    }
}
