package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LSQ initial scale (Esser et al. 2019, "Learned Step Size Quantization"):
 * {@code s = 2 * mean(|v|) / sqrt(qmax)} per channel over everything observed. The zero point is 0 for
 * the symmetric scheme and {@code qmin - round(min / s)} (clamped to the grid) for the asymmetric one.
 */
public final class LsqInitEstimator implements RangeEstimator {

    private final QuantSpec spec;
    private double[] sumAbs;
    private double[] min;
    private long count;

    public LsqInitEstimator(QuantSpec spec) {
        this.spec = spec;
    }

    @Override
    public void observe(INDArray x, String tensorName) {
        ChannelLayout layout = ChannelStatistics.layout(x, spec, sumAbs == null ? 0 : sumAbs.length, tensorName);
        ChannelStatistics stats = ChannelStatistics.of(ChannelStatistics.values(x, tensorName), layout);
        if (sumAbs == null) {
            sumAbs = stats.sumAbs;
            min = stats.min;
        } else {
            for (int c = 0; c < sumAbs.length; c++) {
                sumAbs[c] += stats.sumAbs[c];
                min[c] = Math.min(min[c], stats.min[c]);
            }
        }
        count += stats.count;
    }

    @Override
    public boolean hasObservations() {
        return sumAbs != null;
    }

    @Override
    public QuantParams params() {
        if (sumAbs == null) {
            throw new IllegalStateException("LSQ initial-scale estimator has observed no tensor: calibrate first.");
        }
        int channels = sumAbs.length;
        double[] scale = new double[channels];
        int[] zeroPoint = new int[channels];
        for (int c = 0; c < channels; c++) {
            double meanAbs = sumAbs[c] / count;
            double s = 2 * meanAbs / Math.sqrt(spec.grid().qmax());
            scale[c] = QuantParams.normalizeScale(s == 0 ? 1.0 : s, spec.powerOfTwoScale());
            zeroPoint[c] = QuantParams.zeroPointFor(spec, Math.min(min[c], 0.0), scale[c]);
        }
        return new QuantParams(spec.grid(), spec.axis(), scale, zeroPoint);
    }

    @Override
    public void reset() {
        sumAbs = null;
        min = null;
        count = 0;
    }

    @Override
    public QuantSpec spec() {
        return spec;
    }
}
