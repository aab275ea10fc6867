package org.qat4j.datasets;

/**
 * Maps a raw pixel {@code p} in 0..255 to the network input {@code x = (p / 255 - mean) / std}.
 * {@link #MNIST} uses the mean and standard deviation of the MNIST training pixels;
 * {@link #UNIT_RANGE} gives plain {@code p / 255}.
 */
public record Normalization(double mean, double std) {

    /** Mean 0.1307 and standard deviation 0.3081 of the MNIST training pixels scaled to [0, 1]. */
    public static final Normalization MNIST = new Normalization(0.1307, 0.3081);

    /** {@code x = p / 255}. */
    public static final Normalization UNIT_RANGE = new Normalization(0.0, 1.0);

    public Normalization {
        if (!Double.isFinite(mean)) {
            throw new IllegalArgumentException("Normalization mean " + mean + " is not finite.");
        }
        if (!(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("Normalization std " + std + " is invalid: use a finite value > 0.");
        }
    }

    /** Returns the normalised value of one pixel, computed in double and rounded to float once. */
    public float apply(int pixel) {
        if (pixel < 0 || pixel > 255) {
            throw new IllegalArgumentException("Pixel " + pixel + " is out of range: use 0 to 255.");
        }
        return (float) ((pixel / 255.0 - mean) / std);
    }

    /** Returns the 256 normalised values, indexed by the raw pixel. */
    public float[] lookupTable() {
        float[] table = new float[256];
        for (int p = 0; p < 256; p++) {
            table[p] = apply(p);
        }
        return table;
    }
}
