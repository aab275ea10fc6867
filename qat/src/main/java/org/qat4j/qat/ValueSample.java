package org.qat4j.qat;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A bounded uniform sample of the values seen per channel (reservoir sampling, Vitter's algorithm R),
 * for estimators that need the distribution and not only its extremes. Until a channel has seen
 * {@code capacity} values the sample contains all of them.
 */
final class ValueSample {

    private final int capacity;
    private final SplittableRandom random;
    private float[][] values;
    private int[] size;
    private long[] seen;

    ValueSample(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("Sample capacity " + capacity + " is invalid: use at least 1.");
        }
        this.capacity = capacity;
        this.random = new SplittableRandom(seed);
    }

    void add(double[] data, ChannelLayout layout) {
        if (values == null) {
            values = new float[layout.channels][];
            size = new int[layout.channels];
            seen = new long[layout.channels];
            for (int c = 0; c < layout.channels; c++) {
                values[c] = new float[Math.min(capacity, Math.max(16, layout.elementsPerChannel()))];
            }
        }
        for (int o = 0; o < layout.outer; o++) {
            for (int c = 0; c < layout.channels; c++) {
                int base = (o * layout.channels + c) * layout.inner;
                for (int i = base; i < base + layout.inner; i++) {
                    add(c, (float) data[i]);
                }
            }
        }
    }

    private void add(int channel, float v) {
        long index = seen[channel]++;
        if (size[channel] < capacity) {
            if (size[channel] == values[channel].length) {
                values[channel] = Arrays.copyOf(values[channel], (int) Math.min(capacity, 2L * size[channel]));
            }
            values[channel][size[channel]++] = v;
            return;
        }
        long slot = random.nextLong(index + 1);
        if (slot < capacity) {
            values[channel][(int) slot] = v;
        }
    }

    boolean isEmpty() {
        return values == null;
    }

    int channels() {
        return values == null ? 0 : values.length;
    }

    /** Returns the sampled values of one channel (a copy). */
    float[] channel(int c) {
        return Arrays.copyOf(values[c], size[c]);
    }

    void clear() {
        values = null;
        size = null;
        seen = null;
    }
}
