package org.qat4j.qat.integer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Backend;
import org.qat4j.qat.integer.ActivationQuantization;
import org.qat4j.qat.integer.FixedPointMultiplier;
import org.qat4j.qat.integer.IntGemm;
import org.qat4j.qat.integer.IntegerConv2d;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerFlatten;
import org.qat4j.qat.integer.IntegerLayer;
import org.qat4j.qat.integer.IntegerLinear;
import org.qat4j.qat.integer.IntegerMaxPool2d;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.Requantizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the integer engine: the int8 GEMM kernel in GOP/s ({@code 2 * M * K * N} per product)
 * on 1 and 2 threads next to an FP32 {@code Nd4j.gemm} of the same shape in the same run, and
 * whole-model inference in images per second. Each figure is the best of several timed
 * repetitions after a warm-up. Other load on the machine lowers all figures, so compare the
 * ratios measured in one run.
 */
public final class IntegerBenchmark {

    private static final Logger log = LoggerFactory.getLogger(IntegerBenchmark.class);

    /** A matrix product shape: {@code M x K} activations times {@code K x N} weights. */
    public record GemmShape(String name, int rows, int depth, int cols) {
        double operations() {
            return 2.0 * rows * depth * cols;
        }
    }

    /** GEMM rates of one shape, in GOP/s (integer) and GFLOP/s (FP32). */
    public record GemmResult(GemmShape shape, double int1Thread, double int2Threads, double fp32OneThread,
                             double fp32TwoThreads) {
        @Override
        public String toString() {
            return String.format("%-6s %6d x %4d x %3d  int8: %6.1f GOP/s (1 thread) %6.1f GOP/s (2 threads)   "
                            + "fp32 Nd4j.gemm: %6.1f / %6.1f GFLOP/s   int/fp32 (2 threads): %.2f",
                    shape.name(), shape.rows(), shape.depth(), shape.cols(), int1Thread, int2Threads, fp32OneThread,
                    fp32TwoThreads, int2Threads / fp32TwoThreads);
        }
    }

    /** The shapes of the MNIST models at batch 256: fc1 of the MLP and both CNN convolutions (pixel rows). */
    public static List<GemmShape> defaultShapes() {
        return List.of(new GemmShape("fc1", 256, 784, 300), new GemmShape("fc2", 256, 300, 100),
                new GemmShape("conv1", 256 * 784, 9, 16), new GemmShape("conv2", 256 * 196, 144, 32));
    }

    private IntegerBenchmark() {
    }

    /**
     * Times the int8 kernel and an FP32 GEMM of each shape. The integer product uses the engine's
     * layout: weights widened to int and padded to whole 16-column tiles; operations are counted
     * for the real column count.
     */
    public static List<GemmResult> measureGemm(List<GemmShape> shapes, int repeats) {
        Backend.init();
        List<GemmResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (GemmShape shape : shapes) {
                double int1 = shape.operations() / timeIntGemm(shape, 1, pool, repeats);
                double int2 = shape.operations() / timeIntGemm(shape, 2, pool, repeats);
                double fp1 = shape.operations() / timeFloatGemm(shape, 1, repeats);
                double fp2 = shape.operations() / timeFloatGemm(shape, 2, repeats);
                GemmResult result = new GemmResult(shape, int1, int2, fp1, fp2);
                log.info("{}", result);
                results.add(result);
            }
        } finally {
            pool.shutdownNow();
        }
        return results;
    }

    /** Returns the best time in nanoseconds of the integer kernel on {@code threads} threads (rows split evenly). */
    private static double timeIntGemm(GemmShape shape, int threads, ExecutorService pool, int repeats) {
        Random random = new Random(1);
        int paddedCols = IntGemm.paddedColumns(shape.cols());
        byte[] a = new byte[shape.rows() * shape.depth()];
        random.nextBytes(a);
        int[] b = new int[shape.depth() * paddedCols];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextInt(255) - 127;
        }
        int[][] c = new int[threads][];
        int[] rowStart = new int[threads + 1];
        for (int t = 0; t <= threads; t++) {
            rowStart[t] = (int) ((long) shape.rows() * t / threads) / 4 * 4;
        }
        rowStart[threads] = shape.rows();
        for (int t = 0; t < threads; t++) {
            c[t] = new int[(rowStart[t + 1] - rowStart[t]) * paddedCols];
        }

        long best = Long.MAX_VALUE;
        for (int repeat = 0; repeat < repeats + 2; repeat++) {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = rowStart[t];
                int count = rowStart[t + 1] - first;
                int[] out = c[t];
                Runnable task = () -> IntGemm.multiply(a, first * shape.depth(), count, shape.depth(), b, paddedCols, out);
                if (threads == 1) {
                    task.run();
                } else {
                    futures.add(pool.submit(task));
                }
            }
            waitFor(futures);
            best = Math.min(best, System.nanoTime() - start);
        }
        return best;
    }

    private static double timeFloatGemm(GemmShape shape, int threads, int repeats) {
        int previous = Nd4j.factory().blas().getMaxThreads();
        Nd4j.factory().blas().setMaxThreads(threads);
        try {
            INDArray a = Nd4j.rand(DataType.FLOAT, shape.rows(), shape.depth());
            INDArray b = Nd4j.rand(DataType.FLOAT, shape.depth(), shape.cols());
            INDArray c = Nd4j.createUninitialized(DataType.FLOAT, shape.rows(), shape.cols());
            long best = Long.MAX_VALUE;
            for (int repeat = 0; repeat < repeats + 2; repeat++) {
                long start = System.nanoTime();
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                best = Math.min(best, System.nanoTime() - start);
            }
            a.close();
            b.close();
            c.close();
            return best;
        } finally {
            Nd4j.factory().blas().setMaxThreads(previous);
        }
    }

    private static void waitFor(List<Future<?>> futures) {
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during the GEMM benchmark.", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("GEMM benchmark task failed.", e.getCause());
            }
        }
    }

    /**
     * Returns the best rate in images per second of classifying all of {@code images}
     * ({@code n * model.inputSize()} bytes) with an engine of the given batch size and threads.
     */
    public static double imagesPerSecond(IntegerModel model, byte[] images, int batchSize, int threads, int repeats) {
        int n = images.length / model.inputSize();
        long best = Long.MAX_VALUE;
        try (IntegerEngine engine = new IntegerEngine(model, batchSize, threads)) {
            for (int repeat = 0; repeat < repeats + 1; repeat++) {
                long start = System.nanoTime();
                engine.classify(images);
                best = Math.min(best, System.nanoTime() - start);
            }
        }
        double rate = n / (best / 1e9);
        log.info("{} images in {} ms at best: {} images/s (batch {}, {} threads)", n, best / 1_000_000, (long) rate,
                batchSize, threads);
        return rate;
    }

    /**
     * Builds an MLP 784-300-100-10 with random 8-bit weights, for timing without a trained model;
     * the arithmetic and memory traffic equal those of a trained one.
     */
    public static IntegerModel randomMlp(long seed) {
        Random random = new Random(seed);
        ActivationQuantization input = ActivationQuantization.RAW_PIXELS;
        ActivationQuantization hidden1 = new ActivationQuantization(8, 0, 0.05);
        ActivationQuantization hidden2 = new ActivationQuantization(8, 0, 0.05);
        List<IntegerLayer> layers = List.of(
                new IntegerLinear("fc1", 784, 300, 8, randomWeights(random, 300 * 784), scales(300), new int[300], input,
                        Requantizer.fullRange(hidden1, true, multipliers(300, 1e-4))),
                new IntegerLinear("fc2", 300, 100, 8, randomWeights(random, 100 * 300), scales(100), new int[100], hidden1,
                        Requantizer.fullRange(hidden2, true, multipliers(100, 1e-3))),
                new IntegerLinear("fc3", 100, 10, 8, randomWeights(random, 10 * 100), scales(10), new int[10], hidden2,
                        null));
        return new IntegerModel(new int[] {784}, input, layers);
    }

    /**
     * Builds a CNN with random 8-bit weights: conv 1-16 (3x3, pad 1) + ReLU, max pool 2, conv 16-32
     * (3x3, pad 1) + ReLU, max pool 2, flatten, linear 1568-10.
     */
    public static IntegerModel randomCnn(long seed) {
        Random random = new Random(seed);
        ActivationQuantization input = ActivationQuantization.RAW_PIXELS;
        ActivationQuantization a1 = new ActivationQuantization(8, 0, 0.05);
        ActivationQuantization a2 = new ActivationQuantization(8, 0, 0.05);
        List<IntegerLayer> layers = List.of(
                new IntegerConv2d("conv1", 1, 28, 28, 16, 3, 1, 1, 8, randomWeights(random, 16 * 9), scales(16),
                        new int[16], input, Requantizer.fullRange(a1, true, multipliers(16, 1e-3))),
                new IntegerMaxPool2d("pool1", 16, 28, 28, 2, 2),
                new IntegerConv2d("conv2", 16, 14, 14, 32, 3, 1, 1, 8, randomWeights(random, 32 * 144), scales(32),
                        new int[32], a1, Requantizer.fullRange(a2, true, multipliers(32, 1e-4))),
                new IntegerMaxPool2d("pool2", 32, 14, 14, 2, 2),
                new IntegerFlatten("flatten", new int[] {32, 7, 7}),
                new IntegerLinear("fc", 1568, 10, 8, randomWeights(random, 10 * 1568), scales(10), new int[10], a2, null));
        return new IntegerModel(new int[] {1, 28, 28}, input, layers);
    }

    /** Returns {@code n} random 28x28 images as bytes. */
    public static byte[] randomImages(int n, long seed) {
        byte[] images = new byte[n * 784];
        new Random(seed).nextBytes(images);
        return images;
    }

    private static byte[] randomWeights(Random random, int count) {
        byte[] weights = new byte[count];
        for (int i = 0; i < count; i++) {
            weights[i] = (byte) (random.nextInt(255) - 127);
        }
        return weights;
    }

    private static double[] scales(int count) {
        double[] scales = new double[count];
        java.util.Arrays.fill(scales, 0.01);
        return scales;
    }

    private static FixedPointMultiplier[] multipliers(int count, double m) {
        FixedPointMultiplier[] result = new FixedPointMultiplier[count];
        for (int c = 0; c < count; c++) {
            result[c] = FixedPointMultiplier.of(m, "random");
        }
        return result;
    }

    /** Runs the GEMM and model benchmarks and logs the figures; the command line prints the same. */
    public static List<String> run(int images, int repeats) {
        List<String> lines = new ArrayList<>();
        for (GemmResult result : measureGemm(defaultShapes(), repeats)) {
            lines.add(result.toString());
        }
        byte[] pixels = randomImages(images, 7);
        for (IntegerModel model : List.of(randomMlp(1), randomCnn(2))) {
            String name = model.layers().get(0) instanceof IntegerConv2d ? "cnn" : "mlp";
            double oneThread = imagesPerSecond(model, pixels, 256, 1, repeats);
            double twoThreads = imagesPerSecond(model, pixels, 256, 2, repeats);
            lines.add(String.format("%s integer inference, %d images, batch 256: %.0f images/s (1 thread), "
                    + "%.0f images/s (2 threads)", name, images, oneThread, twoThreads));
        }
        return lines;
    }
}
