package org.qat4j.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Backend;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.bench.TrainStepBenchmark;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.experiments.training.Quantization;
import org.qat4j.qat.Ptq;
import org.qat4j.qat.Qat;
import org.qat4j.qat.QuantConfig;
import org.qat4j.qat.RangeEstimatorType;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.bench.IntegerBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qat4j bench}: training and inference speed on synthetic data, as ratios measured in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed on synthetic data (the machine is shared: compare ratios from one run).",
        subcommands = {BenchCommand.Train.class, BenchCommand.Infer.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code qat4j bench train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Time FP32 and QAT training steps (forward, backward, Adam) after a warm-up; prints images/s, "
                    + "the QAT/FP32 step-time ratio and resident memory.")
    static final class Train implements Callable<Integer> {

        @Option(names = "--model", split = ",", paramLabel = "M", description = "Models (default: mlp,cnn).")
        List<String> models;

        @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--steps", paramLabel = "N", description = "Timed steps (default: 400 for mlp, 60 for cnn).")
        Integer steps;

        @Option(names = "--wbits", paramLabel = "B", defaultValue = "8", description = "QAT weight bits (default: ${DEFAULT-VALUE}).")
        int weightBits;

        @Option(names = "--abits", paramLabel = "B", defaultValue = "8", description = "QAT activation bits (default: ${DEFAULT-VALUE}).")
        int activationBits;

        @Override
        public Integer call() {
            QuantConfig config = QuantConfig.defaults().withBits(weightBits, activationBits)
                    .withRangeEstimator(RangeEstimatorType.MSE).withLearning(true, false);
            for (String name : models != null ? models : List.of("mlp", "cnn")) {
                ModelKind kind = ModelKind.parse(name);
                int timed = steps != null ? steps : defaultSteps(kind);
                if (timed < 1) {
                    throw new IllegalArgumentException("--steps " + timed + " is invalid: use 1 or more");
                }
                Sequential fp32 = kind.build(1);
                TrainStepBenchmark.Result fp32Result = TrainStepBenchmark.measure(kind.id() + " fp32", fp32, batch,
                        timed / 2, timed);

                Sequential quantized = Quantization.prepare(kind.build(1), config);
                Ptq.calibrate(quantized, List.of(randomImages(batch, kind)));
                Qat.startTraining(quantized, true);
                TrainStepBenchmark.Result qatResult = TrainStepBenchmark.measure(kind.id() + " qat " + config.weightBits()
                        + "/" + config.activationBits(), quantized, batch, timed / 2, timed);

                System.out.println(fp32Result);
                System.out.println(qatResult);
                System.out.printf(Locale.ROOT, "%s: QAT (LSQ, W%dA%d) step costs %.2fx the FP32 step%n", kind.id(),
                        weightBits, activationBits, qatResult.medianMillisPerStep() / fp32Result.medianMillisPerStep());
            }
            System.out.printf(Locale.ROOT, "Peak resident memory: %d MB%n", ProcessMemory.peakResidentBytes() >> 20);
            return 0;
        }
    }

    /** Returns the default number of timed steps: about 2 to 5 seconds of work per model. */
    static int defaultSteps(ModelKind kind) {
        return kind == ModelKind.CNN ? 60 : 400;
    }

    /** {@code qat4j bench infer}. */
    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Time the integer GEMM (GOP/s, 1 and 2 threads, against FP32 OpenBLAS) and integer inference "
                    + "of the mlp and cnn (images/s) against FP32 inference of the same models in this project.")
    static final class Infer implements Callable<Integer> {

        @Option(names = "--images", paramLabel = "N", defaultValue = "10000",
                description = "Images per timed pass (default: ${DEFAULT-VALUE}, the MNIST test set size).")
        int images;

        @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Timed passes, best kept (default: ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--model", split = ",", paramLabel = "FILE",
                description = "Integer model files to time as well (.q4j).")
        List<Path> modelFiles;

        @Override
        public Integer call() throws java.io.IOException {
            if (images < 1 || repeats < 1) {
                throw new IllegalArgumentException("--images and --repeats must be 1 or more, got " + images + " and "
                        + repeats);
            }
            for (String line : IntegerBenchmark.run(images, repeats)) {
                System.out.println(line);
            }
            byte[] pixels = IntegerBenchmark.randomImages(images, 7);
            for (Path file : modelFiles != null ? modelFiles : List.<Path>of()) {
                IntegerModel model = InferCommand.readModel(file);
                double rate = IntegerBenchmark.imagesPerSecond(model, pixels, 256, 2, repeats);
                System.out.printf(Locale.ROOT, "%s: %.0f images/s (integer engine, batch 256, 2 threads)%n", file, rate);
            }
            for (ModelKind kind : ModelKind.values()) {
                double rate = fp32ImagesPerSecond(kind, images, repeats);
                System.out.printf(Locale.ROOT, "%s FP32 inference (ND4J/OpenBLAS, batch 256): %.0f images/s%n", kind.id(),
                        rate);
            }
            return 0;
        }
    }

    /** Returns the best FP32 inference rate of a freshly initialised model over {@code images} random images. */
    static double fp32ImagesPerSecond(ModelKind kind, int images, int repeats) {
        Backend.init();
        Sequential model = kind.build(1);
        model.eval();
        int batch = 256;
        List<INDArray> batches = new ArrayList<>();
        for (int done = 0; done < images; done += batch) {
            batches.add(randomImages(Math.min(batch, images - done), kind));
        }
        long best = Long.MAX_VALUE;
        try (NoGrad ignored = NoGrad.enter()) {
            for (int repeat = 0; repeat <= repeats; repeat++) {
                long start = System.nanoTime();
                for (INDArray input : batches) {
                    model.forward(Tensor.constant(input));
                }
                best = Math.min(best, System.nanoTime() - start);
            }
        }
        return images / (best / 1e9);
    }

    /** Returns {@code n} random images in [0, 1] in the model's input layout. */
    static INDArray randomImages(int n, ModelKind kind) {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[n * 784];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        INDArray flat = Nd4j.create(values, new long[] {n, 784}, 'c').castTo(DataType.FLOAT);
        return kind == ModelKind.CNN ? flat.reshape('c', n, 1, 28, 28) : flat;
    }
}
