package org.qat4j.autograd.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Backend;
import org.qat4j.autograd.F;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Models;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.autograd.optim.Adam;
import org.qat4j.autograd.optim.Optimizer;

/**
 * Measures training throughput: forward, cross-entropy, backward and an Adam step on a fixed
 * synthetic batch of {@code [N, 1, 28, 28]} images with random labels, after warm-up steps
 * that let the JIT compile the kernels. Besides wall time it reports the CPU time the process
 * used per step, which depends less on other load on a shared machine, and the resident
 * memory at six points of the run, which stays flat when nothing leaks.
 */
public final class TrainStepBenchmark {

    /**
     * Result of one measurement. Throughput comes from the median step time, which other
     * processes on a shared machine disturb less than the mean; both are reported.
     */
    public record Result(String model, int batchSize, int steps, double imagesPerSecond, double medianMillisPerStep,
            double meanMillisPerStep, double cpuMillisPerStep, long[] residentBytes) {
        @Override
        public String toString() {
            StringBuilder rss = new StringBuilder();
            for (long bytes : residentBytes) {
                rss.append(rss.length() == 0 ? "" : " ").append(bytes >> 20);
            }
            return String.format("%s batch %d: %.0f images/s (median %.2f ms/step, mean %.2f ms over %d steps,"
                    + " process CPU %.2f ms/step), RSS MB at each fifth of the run: %s", model, batchSize,
                    imagesPerSecond, medianMillisPerStep, meanMillisPerStep, steps, cpuMillisPerStep, rss);
        }
    }

    private TrainStepBenchmark() {
    }

    /** Times {@code steps} training steps of {@code model} after {@code warmUpSteps} untimed ones. */
    public static Result measure(String name, Sequential model, int batchSize, int warmUpSteps, int steps) {
        Backend.init();
        if (batchSize < 1 || steps < 1 || warmUpSteps < 0) {
            throw new IllegalArgumentException("Benchmark needs batch size >= 1, steps >= 1 and warm-up >= 0; got "
                    + batchSize + ", " + steps + ", " + warmUpSteps);
        }
        SplittableRandom random = new SplittableRandom(42);
        INDArray images = Nd4j.createUninitialized(DataType.FLOAT, batchSize, 1, 28, 28);
        double[] pixels = new double[batchSize * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextDouble();
        }
        NativeRows.writeAll(images, pixels);
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = random.nextInt(10);
        }
        Tensor input = Tensor.constant(images);
        model.train();
        Optimizer optimizer = new Adam(model.parameters(), 1e-3);

        for (int i = 0; i < warmUpSteps; i++) {
            step(model, optimizer, input, labels);
        }
        long[] rss = new long[6];
        long[] nanos = new long[steps];
        long cpuStart = processCpuNanos();
        for (int i = 0; i < steps; i++) {
            if (i * 5L % steps < 5) {
                rss[(int) (i * 5L / steps)] = residentBytes();
            }
            long start = System.nanoTime();
            step(model, optimizer, input, labels);
            nanos[i] = System.nanoTime() - start;
        }
        double cpuMillis = (processCpuNanos() - cpuStart) / 1e6 / steps;
        rss[5] = residentBytes();
        double mean = java.util.Arrays.stream(nanos).average().orElse(0) / 1e6;
        java.util.Arrays.sort(nanos);
        double median = nanos[steps / 2] / 1e6;
        return new Result(name, batchSize, steps, batchSize * 1000.0 / median, median, mean, cpuMillis, rss);
    }

    private static void step(Sequential model, Optimizer optimizer, Tensor input, int[] labels) {
        optimizer.zeroGrad();
        Tensor loss = F.crossEntropy(model.forward(input), labels);
        loss.backward();
        optimizer.step();
    }

    /** CPU time of all threads of this process, or -1 where the JVM does not report it. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Resident set size of this process from /proc/self/status, or -1 where that file does not exist. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Runs the benchmark for the models named in {@code args} (default: mlp and cnn) and prints
     * one line per model. Options: {@code --batch N}, {@code --steps N}, {@code --warmup N}.
     */
    public static void main(String[] args) {
        int batch = 128;
        int steps = 0;
        int warmUp = -1;
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmUp = Integer.parseInt(args[++i]);
                default -> names.add(args[i]);
            }
        }
        if (names.isEmpty()) {
            names.addAll(Models.NAMES);
        }
        for (String name : names) {
            int modelSteps = steps > 0 ? steps : name.equals("cnn") ? 60 : 400;
            int modelWarmUp = warmUp >= 0 ? warmUp : modelSteps / 2;
            Result result = measure(name, Models.byName(name, 1), batch, modelWarmUp, modelSteps);
            System.out.println(result);
        }
    }
}
