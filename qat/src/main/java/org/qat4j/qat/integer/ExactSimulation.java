package org.qat4j.qat.integer;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Sequential;

/**
 * The exact-simulation evaluation mode of a quantized model: each layer's accumulator
 * {@code acc = bias_int + sum(W_int * (x_int - z_x))} is computed from the integer values with the
 * autograd's float64 ops ({@code F.linear}, {@code F.conv2d} with zero padding of {@code x_int - z_x},
 * {@code F.maxPool2d}), which is exact because every product and partial sum is an integer below
 * {@code 2^53}. The accumulator is then requantized with the same {@code M0} and {@code k} as the
 * integer engine ({@link FixedPointMultiplier#requantize(long, int, int, int)}).
 *
 * <p>The integer values ({@code W_int}, {@code bias_int}, {@code M0}, {@code k}, zero points) come from
 * the {@link IntegerModel} that {@link Exporter} derives from the quantized model's frozen
 * quantizers; the arithmetic path is independent of the engine's int32 kernels, and the two agree
 * bit for bit.
 */
public final class ExactSimulation {

    private static final int BATCH_SIZE = 256;

    private final IntegerModel model;

    /** Prepares the simulation of a frozen quantized model whose samples have shape {@code inputShape}. */
    public ExactSimulation(Sequential quantized, int[] inputShape) {
        this(Exporter.export(quantized, inputShape));
    }

    /** Simulates the integer arithmetic of {@code model}. */
    public ExactSimulation(IntegerModel model) {
        this.model = model;
    }

    /** The integer parameters the simulation uses. */
    public IntegerModel model() {
        return model;
    }

    /**
     * Returns the class of each sample: the argmax of the last layer's class scores
     * {@code round(acc_c * R_c)} (see {@link IntegerWeightedLayer#score}), lowest index on ties.
     */
    public int[] classify(byte[] inputs) {
        List<long[]> outputs = layerOutputs(inputs);
        long[] logits = outputs.get(outputs.size() - 1);
        IntegerWeightedLayer last = (IntegerWeightedLayer) model.layers().get(model.layers().size() - 1);
        int classes = model.classCount();
        int[] predictions = new int[logits.length / classes];
        for (int s = 0; s < predictions.length; s++) {
            int best = 0;
            long bestScore = last.score(0, Math.toIntExact(logits[s * classes]));
            for (int c = 1; c < classes; c++) {
                long score = last.score(c, Math.toIntExact(logits[s * classes + c]));
                if (score > bestScore) {
                    best = c;
                    bestScore = score;
                }
            }
            predictions[s] = best;
        }
        return predictions;
    }

    /** Returns every layer's output for all samples, in the order of {@code IntegerEngine.layerOutputs}. */
    public List<long[]> layerOutputs(byte[] inputs) {
        int inputSize = model.inputSize();
        if (inputs.length % inputSize != 0) {
            throw new IllegalArgumentException("Input length " + inputs.length + " is not a multiple of the sample size "
                    + inputSize + ".");
        }
        int n = inputs.length / inputSize;
        List<long[]> outputs = new ArrayList<>();
        for (IntegerLayer layer : model.layers()) {
            outputs.add(new long[n * layer.outputSize()]);
        }
        try (NoGrad ignored = NoGrad.enter()) {
            for (int start = 0; start < n; start += BATCH_SIZE) {
                int count = Math.min(BATCH_SIZE, n - start);
                runBatch(inputs, start, count, outputs);
            }
        }
        return outputs;
    }

    private void runBatch(byte[] inputs, int start, int count, List<long[]> outputs) {
        int inputSize = model.inputSize();
        double[] pixels = new double[count * inputSize];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = inputs[start * inputSize + i] & 0xFF;
        }
        INDArray x = Nd4j.create(pixels, batchShape(count, model.inputShape()));

        List<IntegerLayer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            IntegerLayer layer = layers.get(i);
            INDArray y;
            if (layer instanceof IntegerWeightedLayer weighted) {
                INDArray acc = accumulate(weighted, x);
                y = weighted.producesAccumulators() ? acc : requantize(weighted, acc);
            } else if (layer instanceof IntegerMaxPool2d pool) {
                y = F.maxPool2d(Tensor.constant(x), pool.kernelSize(), pool.stride()).value();
            } else {
                y = x.reshape('c', batchShape(count, layer.outputShape()));
            }
            double[] values = y.dup('c').data().asDouble();
            long[] target = outputs.get(i);
            int offset = start * layer.outputSize();
            for (int j = 0; j < values.length; j++) {
                target[offset + j] = (long) values[j];
            }
            x = y;
        }
    }

    /** Returns {@code bias_int + sum(W_int * (x_int - z_x))} in float64 (exact integers). */
    private static INDArray accumulate(IntegerWeightedLayer layer, INDArray x) {
        INDArray centered = x.sub((double) layer.input().zeroPoint());
        byte[] w = layer.weights();
        double[] weights = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            weights[i] = w[i];
        }
        int[] b = layer.bias();
        double[] bias = new double[b.length];
        for (int c = 0; c < b.length; c++) {
            bias[c] = b[c];
        }
        Tensor biasTensor = Tensor.constant(Nd4j.create(bias, new long[] {b.length}));
        if (layer instanceof IntegerConv2d conv) {
            INDArray kernel = Nd4j.create(weights, new long[] {conv.outChannels(), conv.inChannels(), conv.kernelSize(),
                    conv.kernelSize()});
            return F.conv2d(Tensor.constant(centered), Tensor.constant(kernel), biasTensor, conv.stride(),
                    conv.padding()).value();
        }
        IntegerLinear linear = (IntegerLinear) layer;
        INDArray matrix = Nd4j.create(weights, new long[] {linear.outFeatures(), linear.inFeatures()});
        return F.linear(Tensor.constant(centered), Tensor.constant(matrix), biasTensor).value();
    }

    /** Applies {@code clamp(z_y + round(M_c * acc), lower, qmax)} element by element, channel on axis 1. */
    private static INDArray requantize(IntegerWeightedLayer layer, INDArray acc) {
        Requantizer requantizer = layer.requantizer();
        long[] shape = acc.shape();
        double[] values = acc.dup('c').data().asDouble();
        int channels = (int) shape[1];
        int positions = values.length / (int) shape[0] / channels;
        int zeroPoint = requantizer.output().zeroPoint();
        for (int i = 0; i < values.length; i++) {
            int channel = (i / positions) % channels;
            long exact = (long) values[i];
            values[i] = requantizer.multiplier(channel).requantize(exact, zeroPoint, requantizer.lowerBound(),
                    requantizer.qmax());
        }
        return Nd4j.create(values, shape);
    }

    private static long[] batchShape(int count, int[] sampleShape) {
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = count;
        for (int i = 0; i < sampleShape.length; i++) {
            shape[i + 1] = sampleShape[i];
        }
        return shape;
    }
}
