package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.qat4j.autograd.nn.Sequential;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Mnist;
import org.qat4j.datasets.Normalization;
import org.qat4j.experiments.results.CurveRecord;
import org.qat4j.experiments.results.CurvesTable;
import org.qat4j.experiments.results.ResultsFolder;
import org.qat4j.experiments.results.RunRecord;
import org.qat4j.experiments.training.Checkpoints;
import org.qat4j.experiments.training.Evaluation;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.experiments.training.QuantCheckpoint;
import org.qat4j.experiments.training.Quantization;
import org.qat4j.experiments.training.Recipe;
import org.qat4j.experiments.training.Trainer;
import org.qat4j.qat.QuantConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qat4j ptq} and {@code qat4j qat}: quantize an FP32 checkpoint, after calibration only
 * (PTQ) or after fine-tuning with fake quantization (QAT), and report the test accuracy.
 */
abstract class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model: mlp or cnn.")
    String model;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "FP32 checkpoint from 'qat4j train' (default: <out>/checkpoints/<model>-fp32-seed<seed>.ckpt).")
    Path checkpoint;

    @Mixin
    QuantOptions quant;

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/train",
            description = "Folder with the FP32 checkpoint; the quantized checkpoint and curves go here (default: ${DEFAULT-VALUE}).")
    Path out;

    abstract String method();

    abstract long seed();

    /** Checks the options of the subcommand before any file is read. */
    void checkOptions() {
    }

    /** Trains the calibrated model, or does nothing for PTQ; returns the epochs trained. */
    abstract int fineTune(Sequential quantized, DataSplit train, DataSplit test, ModelKind kind, String runId,
            CurvesTable curves);

    @Override
    public Integer call() throws IOException {
        ModelKind kind = ModelKind.parse(model);
        QuantConfig config = quant.config();
        checkOptions();
        ResultsFolder folder = ResultsFolder.openForWriting(out);
        Path source = checkpoint != null ? checkpoint : Checkpoints.fp32(folder.dir(), kind, seed());
        if (!Files.isRegularFile(source)) {
            throw new UserInputException("FP32 checkpoint " + source + " not found: train one with 'qat4j train --model "
                    + kind.id() + " --out " + out + "' or pass --checkpoint FILE.");
        }
        if (quant.calibrationImages < 1 || quant.calibrationImages > 60_000) {
            throw new UserInputException("--calib " + quant.calibrationImages
                    + " is out of range: use 1 to 60000 training images, for example 1000");
        }
        Files.createDirectories(folder.dir().resolve("checkpoints"));
        Mnist mnist = data.load();
        Sequential fp32 = kind.build(seed());
        fp32.load(source);
        double fp32Accuracy = Evaluation.accuracy(fp32, mnist.test(), Normalization.MNIST, kind.layout());

        Sequential quantized = Quantization.prepare(fp32, config);
        Quantization.calibrate(quantized, mnist.train(), kind, quant.calibrationImages, seed());
        String label = String.format(Locale.ROOT, "w%da%d", config.weightBits(), config.activationBits());
        String runId = kind.id() + "/" + method() + "/" + quant.rangeLabel() + "/" + label + "/seed" + seed();
        CurvesTable curves = CurvesTable.open(folder.dir());
        int epochs = fineTune(quantized, mnist.train(), mnist.test(), kind, runId, curves);
        double accuracy = Evaluation.accuracy(quantized, mnist.test(), Quantization.INPUT, kind.layout());

        Path target = folder.dir().resolve("checkpoints").resolve(String.format(Locale.ROOT, "%s-%s-%s-%s-seed%d.ckpt",
                kind.id(), method(), quant.rangeLabel(), label, seed()));
        QuantCheckpoint.save(target, kind, config, quantized);
        System.out.printf(Locale.ROOT, "%s %s %s (%s, %s): FP32 %.2f%%, fake-quant %.2f%% (%+.2f points)%s%n",
                kind.id(), method().toUpperCase(Locale.ROOT), label.toUpperCase(Locale.ROOT), quant.rangeLabel(),
                config.perChannel() ? RunRecord.PER_CHANNEL : RunRecord.PER_TENSOR, fp32Accuracy, accuracy,
                accuracy - fp32Accuracy, epochs > 0 ? " after " + epochs + " epochs" : "");
        System.out.println("Quantized checkpoint: " + target);
        return 0;
    }

    /** {@code qat4j ptq}. */
    @Command(name = "ptq", mixinStandardHelpOptions = true,
            description = "Post-training quantization: calibrate the range estimators of an FP32 checkpoint, then evaluate.")
    static final class Ptq extends QuantizeCommand {

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
                description = "Seed of the FP32 run and of the calibration sample (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        String method() {
            return RunRecord.PTQ;
        }

        @Override
        long seed() {
            return seed;
        }

        @Override
        int fineTune(Sequential quantized, DataSplit train, DataSplit test, ModelKind kind, String runId,
                CurvesTable curves) {
            return 0;
        }
    }

    /** {@code qat4j qat}. */
    @Command(name = "qat", mixinStandardHelpOptions = true,
            description = "Quantization-aware training: calibrate, then fine-tune an FP32 checkpoint with fake quantization.")
    static final class Qat extends QuantizeCommand {

        @Mixin
        TrainingOptions training;

        @Option(names = "--quant-lr-ratio", paramLabel = "R", defaultValue = "1.0",
                description = "Learning rate of learned scales and offsets relative to the weights' (default: ${DEFAULT-VALUE}).")
        double quantizerRateRatio;

        @Override
        String method() {
            return RunRecord.QAT;
        }

        @Override
        long seed() {
            return training.seed;
        }

        @Override
        void checkOptions() {
            training.recipe(Recipe.fineTuneDefault(ModelKind.parse(model)));
            training.epochs(3);
            training.checkTrainImages();
        }

        @Override
        int fineTune(Sequential quantized, DataSplit train, DataSplit test, ModelKind kind, String runId,
                CurvesTable curves) {
            Recipe recipe = training.recipe(Recipe.fineTuneDefault(kind));
            int epochs = training.epochs(3);
            DataSplit subset = training.trainSubset(train);
            QuantConfig config = quant.config();
            curves.removeRun(runId);
            List<Trainer.EpochStats> history = Quantization.fineTune(quantized, subset, test, kind, recipe, epochs,
                    training.seed, quantizerRateRatio, kind.id() + " qat", stats -> curves.append(new CurveRecord(runId,
                            kind.id(), RunRecord.QAT, config.weightBits(), config.activationBits(), stats.epoch(),
                            stats.trainLoss(), stats.trainAccuracy(), stats.testAccuracy(), stats.learningRate(),
                            stats.seconds())));
            return history.size();
        }
    }
}
