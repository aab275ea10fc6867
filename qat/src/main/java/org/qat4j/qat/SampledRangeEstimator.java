package org.qat4j.qat;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of the estimators that need the distribution of the observed values: keeps the exact minimum
 * and maximum per channel and a uniform sample of at most {@link #TOTAL_SAMPLES} values spread over the
 * channels (all values when fewer were observed).
 */
abstract class SampledRangeEstimator implements RangeEstimator {

    static final int TOTAL_SAMPLES = 1 << 20;
    private static final int MIN_SAMPLES_PER_CHANNEL = 4096;
    private static final long SAMPLE_SEED = 0x5eedL;

    final QuantSpec spec;
    double[] min;
    double[] max;
    ValueSample sample;

    SampledRangeEstimator(QuantSpec spec) {
        this.spec = spec;
    }

    @Override
    public void observe(INDArray x, String tensorName) {
        ChannelLayout layout = ChannelStatistics.layout(x, spec, min == null ? 0 : min.length, tensorName);
        double[] values = ChannelStatistics.values(x, tensorName);
        ChannelStatistics stats = ChannelStatistics.of(values, layout);
        if (min == null) {
            min = stats.min;
            max = stats.max;
            int perChannel = Math.max(MIN_SAMPLES_PER_CHANNEL, TOTAL_SAMPLES / layout.channels);
            sample = new ValueSample(perChannel, SAMPLE_SEED);
        } else {
            for (int c = 0; c < min.length; c++) {
                min[c] = Math.min(min[c], stats.min[c]);
                max[c] = Math.max(max[c], stats.max[c]);
            }
        }
        sample.add(values, layout);
    }

    @Override
    public boolean hasObservations() {
        return min != null;
    }

    @Override
    public QuantParams params() {
        if (min == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " has observed no tensor: calibrate first.");
        }
        int channels = min.length;
        double[] scale = new double[channels];
        int[] zeroPoint = new int[channels];
        for (int c = 0; c < channels; c++) {
            double[] range = chooseRange(sample.channel(c), min[c], max[c]);
            double lo = Math.min(range[0], 0.0);
            double hi = Math.max(range[1], 0.0);
            scale[c] = QuantParams.scaleForRange(spec, lo, hi);
            zeroPoint[c] = QuantParams.zeroPointFor(spec, lo, scale[c]);
        }
        return new QuantParams(spec.grid(), spec.axis(), scale, zeroPoint);
    }

    /** Chooses the clipping range {@code [lo, hi]} of one channel from its sample and exact extremes. */
    abstract double[] chooseRange(float[] values, double channelMin, double channelMax);

    @Override
    public void reset() {
        min = null;
        max = null;
        sample = null;
    }

    @Override
    public QuantSpec spec() {
        return spec;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(min=" + Arrays.toString(min) + ", max=" + Arrays.toString(max) + ")";
    }
}
