package org.qat4j.qat.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.FakeQuantWithMinMaxVars;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.Tensor;
import org.qat4j.qat.FakeQuantOp;
import org.qat4j.qat.QuantGrid;
import org.qat4j.qat.QuantSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the fake-quantization op ({@link FakeQuantOp}, a Java loop over the array's memory) forward and
 * forward plus backward, against libnd4j's {@code fake_quant_with_min_max_vars} forward, on an 8-bit
 * per-tensor grid. Report the ratio from one run: the machine may be shared.
 */
public final class FakeQuantBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(FakeQuantBenchmark.class);

    /** Median milliseconds per call of each variant, for one activation shape. */
    public record Result(long[] shape, double javaForward, double javaForwardBackward, double libnd4jForward) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "fake-quant %s: Java forward %.3f ms, forward+backward %.3f ms; "
                    + "libnd4j forward %.3f ms (%.1fx the Java forward)", Arrays.toString(shape), javaForward,
                    javaForwardBackward, libnd4jForward, libnd4jForward / javaForward);
        }
    }

    private FakeQuantBenchmark() {
    }

    /** Returns the shapes of the reference networks' largest activations at batch 128 (MLP layer, CNN first conv). */
    public static List<long[]> defaultShapes() {
        return List.of(new long[] {128, 300}, new long[] {128, 16, 28, 28});
    }

    /**
     * Measures every shape: {@code samples} timed samples of {@code callsPerSample} calls each after as many
     * warm-up samples, and keeps the median sample.
     */
    public static List<Result> measure(List<long[]> shapes, int samples, int callsPerSample) {
        if (samples < 1 || callsPerSample < 1) {
            throw new IllegalArgumentException("Samples " + samples + " and calls per sample " + callsPerSample
                    + " must both be at least 1.");
        }
        List<Result> results = new ArrayList<>();
        for (long[] shape : shapes) {
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.randn(DataType.FLOAT, shape);
            Tensor input = Tensor.parameter(x);
            Tensor scale = Tensor.constant(Nd4j.createFromArray(0.02f));
            Tensor zeroPoint = Tensor.constant(Nd4j.createFromArray(128f));
            INDArray seed = Nd4j.onesLike(x);
            QuantGrid grid = QuantGrid.unsigned(8);
            // The same grid for libnd4j: [s * (0 - z), s * (255 - z)] with s = 0.02 and z = 128.
            INDArray min = Nd4j.createFromArray(-2.56f);
            INDArray max = Nd4j.createFromArray(2.54f);

            // Results go back to the pool, as a model's intermediate results do after each step.
            Runnable forward = () -> ArrayPool.give(
                    FakeQuantOp.apply(input, scale, zeroPoint, grid, QuantSpec.PER_TENSOR, 1.0, "bench").value());
            Runnable forwardBackward = () -> {
                Tensor output = FakeQuantOp.apply(input, scale, zeroPoint, grid, QuantSpec.PER_TENSOR, 1.0, "bench");
                output.backward(seed);
                ArrayPool.give(output.value());
                input.zeroGrad();
            };
            Runnable libnd4j = () -> Nd4j.exec(new FakeQuantWithMinMaxVars(x, min, max, 8, false));

            Result result = new Result(shape, medianMillis(forward, samples, callsPerSample),
                    medianMillis(forwardBackward, samples, callsPerSample), medianMillis(libnd4j, samples, callsPerSample));
            LOG.info("{}", result);
            results.add(result);
        }
        return results;
    }

    private static double medianMillis(Runnable call, int samples, int callsPerSample) {
        double[] millis = new double[samples];
        for (int pass = 0; pass < 2; pass++) {
            for (int sample = 0; sample < samples; sample++) {
                long start = System.nanoTime();
                for (int i = 0; i < callsPerSample; i++) {
                    call.run();
                }
                millis[sample] = (System.nanoTime() - start) / 1e6 / callsPerSample;
            }
        }
        Arrays.sort(millis);
        return millis[samples / 2];
    }
}
