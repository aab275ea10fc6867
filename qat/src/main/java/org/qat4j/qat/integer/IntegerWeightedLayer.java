package org.qat4j.qat.integer;

/**
 * The integer arithmetic shared by {@link IntegerLinear} and {@link IntegerConv2d}: for output
 * channel {@code c},
 * {@code acc_c = bias_int[c] + sum_k W_int[c, k] * (x_int[k] - z_x)} in int32, then
 * {@code y_int = clamp(z_y + round(M_c * acc_c), qmin, qmax)} by the {@link Requantizer}.
 *
 * <p>Weights are signed {@code b}-bit integers ({@code 2 <= b <= 8}), symmetric per output
 * channel ({@code z_w = 0}), and {@code bias_int = round(b / (s_w[c] * s_x))}. The term
 * {@code z_x * sum_k W_int[c, k]} is folded into the bias once, so the inner loop multiplies raw
 * activation bytes. Padding of a convolution uses {@code z_x}, which is real zero.
 *
 * <p>Construction rejects a layer whose accumulator could overflow int32 in the worst case,
 * {@code |bias_int[c]| + fanIn * max_k |W_int[c, k]| * max |x_int - z_x|}; below that bound the
 * int32 arithmetic is exact. The engine's partial sums may wrap, because int addition and
 * multiplication are exact modulo {@code 2^32} and the final sum fits.
 *
 * <p>The last layer (no requantizer) outputs accumulators. Its real logits are
 * {@code s_w[c] * s_x * acc_c}, so with per-channel weight scales the argmax of the raw accumulators
 * is not the predicted class. The class is the argmax of the integer scores
 * {@code round(acc_c * R_c)} with {@code R_c = 2^29 * s_w[c] / max_j s_w[j]}, held as fixed-point
 * multipliers computed once at construction: in this layer the weight scales are part of the
 * arithmetic, not only metadata. With one weight scale for all channels every {@code R_c} is
 * {@code 2^29} and the class is the argmax of the accumulators.
 */
public abstract sealed class IntegerWeightedLayer extends IntegerLayer permits IntegerLinear, IntegerConv2d {

    /** Relative logit scale {@code 2^29}: scores keep 29 bits more than the accumulator (|score| < 2^60). */
    private static final double SCORE_SCALE = 0x1p29;

    private final int outChannels;
    private final int fanIn;
    private final int weightBitWidth;
    private final byte[] weights;
    private final double[] weightScales;
    private final int[] bias;
    private final ActivationQuantization input;
    private final Requantizer requantizer;

    private final FixedPointMultiplier[] scoreMultipliers;
    private final int paddedOutChannels;
    private final int[] widenedWeights;
    private final int[] foldedBias;

    IntegerWeightedLayer(String name, int[] inputShape, int[] outputShape, int outChannels, int fanIn,
                         int weightBitWidth, byte[] weights, double[] weightScales, int[] bias,
                         ActivationQuantization input, Requantizer requantizer) {
        super(name, inputShape, outputShape);
        validate(name, outChannels, fanIn, weightBitWidth, weights, weightScales, bias, requantizer);
        this.outChannels = outChannels;
        this.fanIn = fanIn;
        this.weightBitWidth = weightBitWidth;
        this.weights = weights.clone();
        this.weightScales = weightScales.clone();
        this.bias = bias.clone();
        this.input = input;
        this.requantizer = requantizer;
        checkAccumulatorRange();
        this.scoreMultipliers = requantizer == null ? scoreMultipliers(name, this.weightScales) : null;

        this.paddedOutChannels = IntGemm.paddedColumns(outChannels);
        this.widenedWeights = new int[fanIn * paddedOutChannels];
        this.foldedBias = new int[outChannels];
        for (int c = 0; c < outChannels; c++) {
            long weightSum = 0;
            for (int k = 0; k < fanIn; k++) {
                int w = this.weights[c * fanIn + k];
                widenedWeights[k * paddedOutChannels + c] = w;
                weightSum += w;
            }
            foldedBias[c] = Math.toIntExact(this.bias[c] - (long) input.zeroPoint() * weightSum);
        }
    }

    private static void validate(String name, int outChannels, int fanIn, int weightBitWidth, byte[] weights,
                                 double[] weightScales, int[] bias, Requantizer requantizer) {
        requirePositive(name, "output channel count", outChannels);
        requirePositive(name, "fan-in", fanIn);
        if (weightBitWidth < 2 || weightBitWidth > 8) {
            throw new IllegalArgumentException(name + ": weight bit width " + weightBitWidth
                    + " is out of range: use 2 to 8.");
        }
        if ((long) outChannels * fanIn != weights.length) {
            throw new IllegalArgumentException(name + ": expected " + (long) outChannels * fanIn + " weights ("
                    + outChannels + " channels x fan-in " + fanIn + "), found " + weights.length + ".");
        }
        int wMin = -(1 << (weightBitWidth - 1));
        int wMax = (1 << (weightBitWidth - 1)) - 1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < wMin || weights[i] > wMax) {
                throw new IllegalArgumentException(name + ": weight " + weights[i] + " at index " + i
                        + " is outside the signed " + weightBitWidth + "-bit grid [" + wMin + ", " + wMax + "].");
            }
        }
        if (weightScales.length != outChannels) {
            throw new IllegalArgumentException(name + ": expected " + outChannels + " weight scales (one per output "
                    + "channel), found " + weightScales.length + ".");
        }
        for (int c = 0; c < outChannels; c++) {
            if (!(weightScales[c] > 0) || Double.isInfinite(weightScales[c])) {
                throw new IllegalArgumentException(name + ": weight scale " + weightScales[c] + " of channel " + c
                        + " is invalid: it must be positive and finite.");
            }
        }
        if (bias.length != outChannels) {
            throw new IllegalArgumentException(name + ": expected " + outChannels + " bias values, found "
                    + bias.length + ".");
        }
        if (requantizer != null && requantizer.channels() != outChannels) {
            throw new IllegalArgumentException(name + ": the requantizer has " + requantizer.channels()
                    + " channel multipliers, the layer has " + outChannels + " output channels.");
        }
    }

    private void checkAccumulatorRange() {
        long maxAbsX = input.maxAbsCentered();
        for (int c = 0; c < outChannels; c++) {
            long maxAbsW = 0;
            for (int k = 0; k < fanIn; k++) {
                maxAbsW = Math.max(maxAbsW, Math.abs(weights[c * fanIn + k]));
            }
            long worstCase = Math.abs((long) bias[c]) + (long) fanIn * maxAbsW * maxAbsX;
            if (worstCase > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name() + ": the int32 accumulator of output channel " + c
                        + " can overflow: |bias| " + Math.abs((long) bias[c]) + " + fan-in " + fanIn + " x max|W_int| "
                        + maxAbsW + " x max|x_int - z_x| " + maxAbsX + " = " + worstCase + " > 2^31 - 1. Use fewer "
                        + "weight or activation bits, or a smaller fan-in.");
            }
        }
    }

    private static FixedPointMultiplier[] scoreMultipliers(String name, double[] weightScales) {
        double maxScale = 0;
        for (double scale : weightScales) {
            maxScale = Math.max(maxScale, scale);
        }
        FixedPointMultiplier[] multipliers = new FixedPointMultiplier[weightScales.length];
        for (int c = 0; c < weightScales.length; c++) {
            multipliers[c] = FixedPointMultiplier.of(SCORE_SCALE * (weightScales[c] / maxScale), name + " (class score)");
        }
        return multipliers;
    }

    /**
     * Returns the class score {@code round(acc * R_c)} of output channel {@code c} of the last
     * layer; the predicted class is the channel with the highest score.
     */
    public long score(int channel, int acc) {
        if (scoreMultipliers == null) {
            throw new IllegalStateException(name() + ": only the last layer, which outputs accumulators, has class scores.");
        }
        return scoreMultipliers[channel].requantize(acc);
    }

    /** The class-score multiplier {@code R_c} of output channel {@code c}, or null for a layer with a requantizer. */
    public FixedPointMultiplier scoreMultiplier(int channel) {
        return scoreMultipliers == null ? null : scoreMultipliers[channel];
    }

    /** Number of output channels (features of a linear layer). */
    public int outChannels() {
        return outChannels;
    }

    /** Number of inputs to one output value. */
    public int fanIn() {
        return fanIn;
    }

    /** Bit width {@code b} of the signed weights. */
    public int weightBitWidth() {
        return weightBitWidth;
    }

    /** Weights {@code W_int} in row-major {@code [outChannels, fanIn]} order (a copy). */
    public byte[] weights() {
        return weights.clone();
    }

    /** Weight scales {@code s_w[c]} (metadata for inspection). */
    public double[] weightScales() {
        return weightScales.clone();
    }

    /** Bias {@code bias_int[c]} in the accumulator scale {@code s_w[c] * s_x} (a copy). */
    public int[] bias() {
        return bias.clone();
    }

    /** Quantization of the layer's input: {@code z_x}, bit width and {@code s_x}. */
    public ActivationQuantization input() {
        return input;
    }

    /** The requantizer, or null for the last layer, which outputs accumulators. */
    public Requantizer requantizer() {
        return requantizer;
    }

    @Override
    public boolean producesAccumulators() {
        return requantizer == null;
    }

    /**
     * Runs the layer on {@code n} samples and writes int32 accumulators ({@code n * outputSize()}
     * values) to {@code output}, in the same order as {@link #forward}.
     */
    abstract void accumulate(byte[] input, int n, int[] output, Workspace workspace);

    /**
     * Multiplies {@code rows} rows of {@code fanIn} activation bytes (value {@code k} of row {@code r}
     * at {@code rowsOffset + r * rowStride + k * depthStride}) with the weights and writes
     * requantized bytes (when {@code bytesOut} is not null) or accumulators to the output. Row
     * {@code r} is position {@code r % positions} of sample {@code r / positions}, and lands at
     * {@code outOffset + sample * outChannels * positions + c * positions + position}.
     */
    final void multiplyRows(byte[] rowsData, int rowsOffset, int rowStride, int depthStride, int rows, int positions,
                            byte[] bytesOut, int[] accumulatorsOut, int outOffset, Workspace workspace) {
        int[] products = workspace.accumulators(rows * paddedOutChannels);
        IntGemm.multiply(rowsData, rowsOffset, rowStride, depthStride, rows, fanIn, widenedWeights, paddedOutChannels,
                products);

        if (bytesOut == null) {
            for (int r = 0; r < rows; r++) {
                int sample = r / positions;
                int base = outOffset + sample * outChannels * positions + (r - sample * positions);
                int productRow = r * paddedOutChannels;
                for (int c = 0; c < outChannels; c++) {
                    accumulatorsOut[base + c * positions] = products[productRow + c] + foldedBias[c];
                }
            }
            return;
        }

        // One channel at a time keeps that channel's multiplier, shift and bounds in registers.
        if (positions == 1) {
            for (int c = 0; c < outChannels; c++) {
                requantizer.requantizeChannel(c, foldedBias[c], products, c, paddedOutChannels, rows, bytesOut,
                        outOffset + c, outChannels);
            }
            return;
        }
        for (int first = 0; first < rows; first += positions) {
            int sampleOffset = outOffset + first / positions * outChannels * positions;
            for (int c = 0; c < outChannels; c++) {
                requantizer.requantizeChannel(c, foldedBias[c], products, first * paddedOutChannels + c,
                        paddedOutChannels, positions, bytesOut, sampleOffset + c * positions, 1);
            }
        }
    }

    final void requireRequantizer() {
        if (requantizer == null) {
            throw new IllegalStateException(name() + ": this layer has no requantizer and outputs int32 accumulators; "
                    + "call accumulate instead of forward.");
        }
    }

    @Override
    public String toString() {
        return super.toString() + "[w" + weightBitWidth + ", z_x=" + input.zeroPoint()
                + (requantizer == null ? ", accumulators" : ", " + requantizer) + "]";
    }
}
