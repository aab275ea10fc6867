package org.qat4j.qat;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-channel statistics of one tensor, computed in one pass over its values. */
final class ChannelStatistics {

    final double[] min;
    final double[] max;
    final double[] sumAbs;
    final long count;

    private ChannelStatistics(double[] min, double[] max, double[] sumAbs, long count) {
        this.min = min;
        this.max = max;
        this.sumAbs = sumAbs;
        this.count = count;
    }

    /** Reads {@code x} in c order and checks it is finite. */
    static double[] values(INDArray x, String tensorName) {
        double[] values = Buffers.readDoubles(x);
        Buffers.requireFinite(values, tensorName);
        return values;
    }

    static ChannelStatistics of(double[] values, ChannelLayout layout) {
        int channels = layout.channels;
        double[] min = new double[channels];
        double[] max = new double[channels];
        double[] sumAbs = new double[channels];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * layout.inner;
                double lo = min[c];
                double hi = max[c];
                double abs = 0;
                for (int i = base; i < base + layout.inner; i++) {
                    double v = values[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    abs += Math.abs(v);
                }
                min[c] = lo;
                max[c] = hi;
                sumAbs[c] += abs;
            }
        }
        return new ChannelStatistics(min, max, sumAbs, layout.elementsPerChannel());
    }

    /** Returns the layout of {@code x} along the spec's axis, checking the channel count stays the same. */
    static ChannelLayout layout(INDArray x, QuantSpec spec, int expectedChannels, String tensorName) {
        ChannelLayout layout = ChannelLayout.of(x.shape(), spec.axis());
        if (layout.length() == 0) {
            throw new IllegalArgumentException("Tensor quantized by '" + tensorName
                    + "' is empty: a range estimator needs at least one value.");
        }
        if (expectedChannels > 0 && layout.channels != expectedChannels) {
            throw new IllegalArgumentException("Tensor quantized by '" + tensorName + "' has " + layout.channels
                    + " channels along axis " + spec.axis() + ", but earlier tensors had " + expectedChannels + ".");
        }
        return layout;
    }
}
