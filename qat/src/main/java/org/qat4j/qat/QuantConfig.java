package org.qat4j.qat;

import java.util.Objects;

/**
 * Settings with which {@link Prepare} quantizes a model. {@link #defaults()} gives 8-bit weights, symmetric on the narrow
 * signed grid and per output channel, 8-bit asymmetric activations on the unsigned grid, min-max range
 * estimation and no learned quantizer parameters. Change a setting with the {@code with...} methods.
 *
 * @param weightBits          bit width of weights, 2 to 16
 * @param activationBits      bit width of activations, 2 to 16 (the network input stays 8-bit)
 * @param perChannel          one weight scale per output channel (axis 0) instead of one per tensor
 * @param weightScheme        symmetric uses the narrow signed grid {@code [-(2^(b-1)-1), 2^(b-1)-1]},
 *                            asymmetric the unsigned grid
 * @param activationScheme    asymmetric uses the unsigned grid with a zero point; symmetric uses the
 *                            unsigned grid after a ReLU and the signed grid otherwise, with {@code z = 0}
 * @param weightEstimator     range estimator of the weight quantizers
 * @param activationEstimator range estimator of the activation quantizers
 * @param runningMomentum     EMA factor {@code c} of {@link RangeEstimatorType#RUNNING_MIN_MAX}
 * @param percentile          upper percentile of {@link RangeEstimatorType#PERCENTILE}
 * @param learnScale          train every scale with LSQ
 * @param learnOffset         train the zero point of every asymmetric quantizer (LSQ+)
 * @param powerOfTwoScale     round every observed scale up to a power of two (not with {@code learnScale})
 */
public record QuantConfig(int weightBits, int activationBits, boolean perChannel,
                          QuantScheme weightScheme, QuantScheme activationScheme,
                          RangeEstimatorType weightEstimator, RangeEstimatorType activationEstimator,
                          double runningMomentum, double percentile,
                          boolean learnScale, boolean learnOffset, boolean powerOfTwoScale) {

    /** Bit width of the network input: pixels are bytes. */
    public static final int INPUT_BITS = 8;

    public QuantConfig {
        QuantGrid.checkBitWidth(weightBits);
        QuantGrid.checkBitWidth(activationBits);
        Objects.requireNonNull(weightScheme, "weightScheme");
        Objects.requireNonNull(activationScheme, "activationScheme");
        Objects.requireNonNull(weightEstimator, "weightEstimator");
        Objects.requireNonNull(activationEstimator, "activationEstimator");
        if (!(runningMomentum > 0 && runningMomentum <= 1)) {
            throw new IllegalArgumentException("Running min-max momentum " + runningMomentum
                    + " is out of range: use a value in (0, 1], for example 0.01.");
        }
        if (learnScale && powerOfTwoScale) {
            throw new IllegalArgumentException("Learned scales cannot stay powers of two: disable either learned"
                    + " scales or power-of-two scales.");
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("Percentile " + percentile
                    + " is out of range: use a value in (50, 100], for example 99.99.");
        }
    }

    public static QuantConfig defaults() {
        return new QuantConfig(8, 8, true, QuantScheme.SYMMETRIC, QuantScheme.ASYMMETRIC,
                RangeEstimatorType.MIN_MAX, RangeEstimatorType.MIN_MAX,
                RunningMinMaxEstimator.DEFAULT_MOMENTUM, PercentileRangeEstimator.DEFAULT_PERCENTILE,
                false, false, false);
    }

    public QuantConfig withBits(int weight, int activation) {
        return new QuantConfig(weight, activation, perChannel, weightScheme, activationScheme, weightEstimator,
                activationEstimator, runningMomentum, percentile, learnScale, learnOffset, powerOfTwoScale);
    }

    public QuantConfig withPerChannel(boolean enabled) {
        return new QuantConfig(weightBits, activationBits, enabled, weightScheme, activationScheme, weightEstimator,
                activationEstimator, runningMomentum, percentile, learnScale, learnOffset, powerOfTwoScale);
    }

    public QuantConfig withSchemes(QuantScheme weight, QuantScheme activation) {
        return new QuantConfig(weightBits, activationBits, perChannel, weight, activation, weightEstimator,
                activationEstimator, runningMomentum, percentile, learnScale, learnOffset, powerOfTwoScale);
    }

    /** Uses {@code type} for both weights and activations. */
    public QuantConfig withRangeEstimator(RangeEstimatorType type) {
        return withRangeEstimators(type, type);
    }

    public QuantConfig withRangeEstimators(RangeEstimatorType weight, RangeEstimatorType activation) {
        return new QuantConfig(weightBits, activationBits, perChannel, weightScheme, activationScheme, weight,
                activation, runningMomentum, percentile, learnScale, learnOffset, powerOfTwoScale);
    }

    public QuantConfig withRunningMomentum(double momentum) {
        return new QuantConfig(weightBits, activationBits, perChannel, weightScheme, activationScheme, weightEstimator,
                activationEstimator, momentum, percentile, learnScale, learnOffset, powerOfTwoScale);
    }

    public QuantConfig withPercentile(double value) {
        return new QuantConfig(weightBits, activationBits, perChannel, weightScheme, activationScheme, weightEstimator,
                activationEstimator, runningMomentum, value, learnScale, learnOffset, powerOfTwoScale);
    }

    public QuantConfig withLearning(boolean scale, boolean offset) {
        return new QuantConfig(weightBits, activationBits, perChannel, weightScheme, activationScheme, weightEstimator,
                activationEstimator, runningMomentum, percentile, scale, offset, powerOfTwoScale);
    }

    public QuantConfig withPowerOfTwoScale(boolean enabled) {
        return new QuantConfig(weightBits, activationBits, perChannel, weightScheme, activationScheme, weightEstimator,
                activationEstimator, runningMomentum, percentile, learnScale, learnOffset, enabled);
    }

    /** Returns the weight grid: narrow signed for symmetric weights, unsigned for asymmetric ones. */
    public QuantGrid weightGrid() {
        return weightScheme == QuantScheme.SYMMETRIC ? QuantGrid.narrowSigned(weightBits) : QuantGrid.unsigned(weightBits);
    }

    /** Returns the activation grid; {@code afterRelu} is true for a ReLU output. */
    public QuantGrid activationGrid(boolean afterRelu) {
        if (activationScheme == QuantScheme.SYMMETRIC && !afterRelu) {
            return QuantGrid.signed(activationBits);
        }
        return QuantGrid.unsigned(activationBits);
    }

    /** Returns the weight quantizer spec for a weight whose output channel is axis 0. */
    public QuantSpec weightSpec() {
        return new QuantSpec(weightGrid(), weightScheme, perChannel ? 0 : QuantSpec.PER_TENSOR, powerOfTwoScale);
    }

    public QuantSpec activationSpec(boolean afterRelu) {
        return new QuantSpec(activationGrid(afterRelu), activationScheme, QuantSpec.PER_TENSOR, powerOfTwoScale);
    }

    @Override
    public String toString() {
        return "QuantConfig(W" + weightBits + "A" + activationBits + ", weights " + weightScheme.name().toLowerCase(java.util.Locale.ROOT)
                + (perChannel ? " per channel" : " per tensor") + ", activations "
                + activationScheme.name().toLowerCase(java.util.Locale.ROOT)
                + ", estimators " + weightEstimator + "/" + activationEstimator
                + (learnScale ? ", learned scales" : "") + (learnOffset ? ", learned offsets" : "")
                + (powerOfTwoScale ? ", power-of-two scales" : "") + ")";
    }
}
