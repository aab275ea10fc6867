package org.qat4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.autograd.nn.Models;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Layout;
import org.qat4j.experiments.results.CurveRecord;
import org.qat4j.experiments.results.CurvesTable;
import org.qat4j.experiments.training.Evaluation;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.experiments.training.QuantCheckpoint;
import org.qat4j.experiments.training.Quantization;
import org.qat4j.qat.RangeEstimatorType;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerLayer;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.ModelFile;

/** The commands train, ptq, qat, export, inspect and infer on real MNIST, each checked against its files. */
class CommandsTest {

    private static final TrainedMlp MLP = TrainedMlp.get();
    private static final String DATA = RealMnist.directory().toString();

    @TempDir
    Path temp;

    /** Returns group 1 of the first match of {@code regex} in {@code text}, failing with the text when none. */
    private static String find(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), "no match for " + regex + " in:\n" + text);
        return matcher.group(1);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    @Test
    void trainWritesCheckpointAndCurves() throws IOException {
        assertEquals(0, MLP.train.exitCode(), MLP.train.err());
        assertTrue(Files.isRegularFile(MLP.fp32Checkpoint), MLP.train.out());
        assertTrue(MLP.train.out().contains("Checkpoint: " + MLP.fp32Checkpoint), MLP.train.out());

        List<CurveRecord> curves = CurvesTable.open(MLP.dir).records().stream()
                .filter(r -> r.runId().equals("mlp/fp32/seed1")).toList();
        assertEquals(1, curves.size());
        CurveRecord epoch = curves.get(0);
        assertEquals(1, epoch.epoch());
        assertEquals(32, epoch.weightBits());

        // The printed accuracy is the one of the saved weights.
        var model = Models.mlp(1);
        model.load(MLP.fp32Checkpoint);
        double accuracy = Evaluation.accuracy(model, RealMnist.get().test(), org.qat4j.datasets.Normalization.MNIST,
                Layout.FLAT);
        assertEquals(percent(accuracy), find("test accuracy ([0-9.]+)%", MLP.train.out()));
        assertEquals(percent(accuracy), percent(epoch.testAccuracy()));
        assertTrue(accuracy > 50, "16 steps on 2000 images reach well above chance (10%), got " + accuracy);
    }

    @Test
    void ptqWritesQuantizedCheckpoint() throws IOException {
        assertEquals(0, MLP.ptq.exitCode(), MLP.ptq.err());
        assertTrue(Files.isRegularFile(MLP.ptqCheckpoint), MLP.ptq.out());
        assertTrue(Files.isRegularFile(MLP.ptqCheckpoint.resolveSibling(MLP.ptqCheckpoint.getFileName() + ".properties")));

        QuantCheckpoint.Loaded loaded = QuantCheckpoint.load(MLP.ptqCheckpoint);
        assertEquals(ModelKind.MLP, loaded.kind());
        assertEquals(8, loaded.config().weightBits());
        assertEquals(8, loaded.config().activationBits());
        assertEquals(RangeEstimatorType.MIN_MAX, loaded.config().weightEstimator());
        double accuracy = Evaluation.accuracy(loaded.model(), RealMnist.get().test(), Quantization.INPUT, Layout.FLAT);
        assertEquals(percent(accuracy), find("fake-quant ([0-9.]+)%", MLP.ptq.out()));
        assertTrue(MLP.ptq.out().startsWith("mlp PTQ W8A8 (minmax, per-channel): FP32 "), MLP.ptq.out());
    }

    @Test
    void qatLearnsScalesAtFourBits() throws IOException {
        Cli.Result qat = Cli.run("qat", "--model", "mlp", "--epochs", "1", "--train-images", TrainedMlp.TRAIN_IMAGES,
                "--learn-scale", "--wbits", "4", "--abits", "4", "--checkpoint", MLP.fp32Checkpoint.toString(),
                "--out", temp.toString(), "--data-dir", DATA);

        assertEquals(0, qat.exitCode(), qat.err());
        Path checkpoint = temp.resolve("checkpoints/mlp-qat-lsq-w4a4-seed1.ckpt");
        assertTrue(Files.isRegularFile(checkpoint), qat.out());
        assertTrue(qat.out().startsWith("mlp QAT W4A4 (lsq, per-channel): FP32 "), qat.out());
        assertTrue(qat.out().contains(" after 1 epochs"), qat.out());
        QuantCheckpoint.Loaded loaded = QuantCheckpoint.load(checkpoint);
        assertEquals(4, loaded.config().weightBits());
        assertEquals(4, loaded.config().activationBits());
        assertTrue(loaded.config().learnScale());
        double accuracy = Evaluation.accuracy(loaded.model(), RealMnist.get().test(), Quantization.INPUT, Layout.FLAT);
        assertEquals(percent(accuracy), find("fake-quant ([0-9.]+)%", qat.out()));
        List<CurveRecord> curves = CurvesTable.open(temp).records();
        assertEquals(1, curves.size());
        assertEquals("mlp/qat/lsq/w4a4/seed1", curves.get(0).runId());
        assertEquals(4, curves.get(0).weightBits());

        // int4 weights are packed two to a byte: the W4A4 file is smaller than the W8A8 one.
        Path model = temp.resolve("mlp-w4a4.q4j");
        Cli.Result export = Cli.run("export", "--checkpoint", checkpoint.toString(), "--out", model.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertTrue(Files.size(model) < 0.6 * Files.size(MLP.modelFile),
                Files.size(model) + " bytes at W4A4 against " + Files.size(MLP.modelFile) + " at W8A8");
    }

    @Test
    void exportWritesModelFile() throws IOException {
        assertEquals(0, MLP.export.exitCode(), MLP.export.err());
        assertTrue(MLP.export.out().startsWith("Wrote " + MLP.modelFile + " (" + Files.size(MLP.modelFile) + " bytes, "),
                MLP.export.out());
        IntegerModel model = ModelFile.read(MLP.modelFile);
        assertEquals(10, model.classCount());
        assertEquals(List.of(1, 28, 28), List.of(model.inputShape()[0], model.inputShape()[1], model.inputShape()[2]));
    }

    @Test
    void exportVerifiesEngineAgainstSimulation() {
        assertTrue(MLP.export.out().contains("Verified on 10000 test images: integer engine and exact simulation differ "
                + "in 0 layer output values; predictions agree with fake quantization on 100.00%"), MLP.export.out());
    }

    @Test
    void inspectPrintsEveryLayer() throws IOException {
        Cli.Result inspect = Cli.run("inspect", MLP.modelFile.toString());

        assertEquals(0, inspect.exitCode(), inspect.err());
        IntegerModel model = ModelFile.read(MLP.modelFile);
        List<String> lines = inspect.out().lines().toList();
        assertTrue(lines.get(0).startsWith(MLP.modelFile + ": " + model.layers().size() + " layers, input [1, 28, 28]"),
                lines.get(0));
        for (IntegerLayer layer : model.layers()) {
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("  " + layer.name() + " ")),
                    "no line for layer " + layer.name() + " in:\n" + inspect.out());
        }
        // LeNet-300-100 has 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10 = 266610 parameters.
        assertTrue(inspect.out().contains("(266610 values)"), inspect.out());
        assertEquals(3, lines.stream().filter(line -> line.contains("weights int8")).count(), inspect.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("Size: "), inspect.out());
    }

    @Test
    void inferAccuracyMatchesEngine() throws IOException {
        Cli.Result infer = Cli.run("infer", "--model", MLP.modelFile.toString(), "--data-dir", DATA);

        assertEquals(0, infer.exitCode(), infer.err());
        DataSplit test = RealMnist.get().test();
        int[] predictions;
        try (IntegerEngine engine = new IntegerEngine(ModelFile.read(MLP.modelFile))) {
            predictions = engine.classify(test.pixels());
        }
        String expected = percent(Evaluation.accuracy(predictions, test.labels()));
        assertEquals(expected, find("accuracy ([0-9.]+)% on 10000 MNIST test images", infer.out()));
    }

    @Test
    void inferImageMatchesIndex() throws IOException {
        DataSplit test = RealMnist.get().test();
        byte[] pixels = test.pixels(0, 1);
        ByteArrayOutputStream pgm = new ByteArrayOutputStream();
        pgm.writeBytes("P5\n# MNIST test image 0\n28 28\n255\n".getBytes(StandardCharsets.US_ASCII));
        pgm.writeBytes(pixels);
        Path image = temp.resolve("test0.pgm");
        Files.write(image, pgm.toByteArray());

        Cli.Result byImage = Cli.run("infer", "--model", MLP.modelFile.toString(), "--image", image.toString());
        Cli.Result byIndex = Cli.run("infer", "--model", MLP.modelFile.toString(), "--index", "0", "--data-dir", DATA);

        assertEquals(0, byImage.exitCode(), byImage.err());
        assertEquals(0, byIndex.exitCode(), byIndex.err());
        int expected;
        try (IntegerEngine engine = new IntegerEngine(ModelFile.read(MLP.modelFile))) {
            expected = engine.classify(pixels)[0];
        }
        assertEquals(image + ": class " + expected, byImage.out().strip());
        assertEquals("test image 0: class " + expected + " (label " + test.label(0) + ")", byIndex.out().strip());
    }
}
