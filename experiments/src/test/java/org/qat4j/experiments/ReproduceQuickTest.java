package org.qat4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.qat4j.datasets.DataSplit;
import org.qat4j.experiments.results.RunRecord;
import org.qat4j.experiments.results.RunsTable;
import org.qat4j.experiments.training.Evaluation;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.ModelFile;

/**
 * {@code qat4j reproduce --quick} end to end on real MNIST with both models (10000 training
 * images). Every planned run is in runs.csv, the plots decode, the report links only files that
 * exist, and the integer models agree with fake quantization.
 */
class ReproduceQuickTest {

    private static final List<String> MODELS = List.of("mlp", "cnn");
    private static final List<String> BITS = List.of("w8a8", "w4a4");
    private static final List<String> QUANTIZED_METHODS = List.of("ptq/minmax", "ptq/mse", "qat/lsq");
    private static final double MIN_W8A8_AGREEMENT = 99.9;

    @TempDir
    static Path out;

    private static Cli.Result result;
    private static List<RunRecord> runs;

    @BeforeAll
    static void runQuickStudy() {
        result = Cli.run("reproduce", "--quick", "--out", out.toString(), "--data-dir",
                RealMnist.directory().toString());
        assertEquals(0, result.exitCode(), result.err());
        runs = RunsTable.open(out).records();
    }

    /** Returns the run ids of the quick study in the order the study runs them, written out by hand. */
    private static List<String> plannedRunIds() {
        List<String> ids = new ArrayList<>();
        for (String model : MODELS) {
            ids.add(model + "/fp32/seed1");
            for (String bits : BITS) {
                for (String method : QUANTIZED_METHODS) {
                    ids.add(model + "/" + method + "/" + bits + "/pc/seed1");
                }
            }
            ids.add(model + "/fp32-control/seed1");
        }
        return ids;
    }

    @Test
    void runsCsvHasEveryPlannedRun() {
        List<String> expected = plannedRunIds();

        assertEquals(16, expected.size());
        assertEquals(expected, runs.stream().map(RunRecord::runId).toList());
        assertTrue(result.out().contains("Results: " + out.resolve("runs.csv")), result.out());
    }

    @Test
    void plotsDecode() throws IOException {
        List<Path> pngs;
        try (Stream<Path> files = Files.list(out.resolve("plots"))) {
            pngs = files.filter(file -> file.toString().endsWith(".png")).sorted().toList();
        }

        assertEquals(List.of("accuracy_vs_bits.png", "model_size.png", "quant_error_vs_scale.png",
                "training_curves.png", "weight_histogram.png"),
                pngs.stream().map(file -> file.getFileName().toString()).toList());
        for (Path png : pngs) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " does not decode");
            assertTrue(image.getWidth() >= 400, png + " is only " + image.getWidth() + " pixels wide");
            assertTrue(image.getHeight() >= 300, png + " is only " + image.getHeight() + " pixels high");
        }
    }

    @Test
    void reportLinksExistingFiles() throws IOException {
        String report = Files.readString(out.resolve("REPORT.md"), StandardCharsets.UTF_8);
        Matcher link = Pattern.compile("\\]\\(([^)]+)\\)").matcher(report);

        int links = 0;
        while (link.find()) {
            String target = link.group(1);
            assertTrue(Files.isRegularFile(out.resolve(target)), "REPORT.md links " + target + ", which does not exist");
            links++;
        }
        assertTrue(links >= 5, "REPORT.md links " + links + " files, expected the 5 plots");
        for (RunRecord run : runs) {
            assertTrue(report.contains("| " + run.runId() + " |"), "REPORT.md has no row for " + run.runId());
        }
    }

    @Test
    void modelFilesExistAndLoad() throws IOException {
        int quantized = 0;
        for (RunRecord run : runs) {
            if (!run.isQuantized()) {
                assertEquals("", run.modelFile(), run.runId());
                continue;
            }
            quantized++;
            assertTrue(run.hasIntegerModel(), run.runId() + " has no integer model");
            Path file = out.resolve(run.modelFile());
            assertTrue(Files.isRegularFile(file), run.runId() + ": " + file + " does not exist");
            assertEquals(Files.size(file), run.modelBytes(), run.runId());
            assertNotNull(ModelFile.read(file));
        }
        assertEquals(12, quantized);
    }

    @Test
    void integerAgreesWithFakeQuant() {
        for (RunRecord run : runs) {
            if (!run.hasIntegerModel()) {
                continue;
            }
            // Accuracies can differ by at most the share of images on which the predictions differ.
            double difference = Math.abs(run.integerAccuracy() - run.fakeQuantAccuracy());
            assertTrue(difference <= 100 - run.agreement() + 1e-9, run.runId() + ": integer " + run.integerAccuracy()
                    + "%, fake-quant " + run.fakeQuantAccuracy() + "%, agreement " + run.agreement() + "%");
            if (run.weightBits() == 8 && run.activationBits() == 8) {
                assertTrue(run.agreement() >= MIN_W8A8_AGREEMENT, run.runId() + ": agreement " + run.agreement());
            }
        }
    }

    @Test
    void integerAccuracyReproducesFromFile() throws IOException {
        RunRecord run = runs.stream().filter(r -> r.runId().equals("cnn/ptq/minmax/w8a8/pc/seed1")).findFirst()
                .orElseThrow();
        DataSplit test = RealMnist.get().test();

        int[] predictions;
        try (IntegerEngine engine = new IntegerEngine(ModelFile.read(out.resolve(run.modelFile())))) {
            predictions = engine.classify(test.pixels());
        }

        assertEquals(run.integerAccuracy(), Evaluation.accuracy(predictions, test.labels()));
    }

    @Test
    void quantizedRunsKeepAccuracy() {
        for (RunRecord run : runs) {
            assertTrue(run.fp32Accuracy() > 80, run.runId() + ": FP32 " + run.fp32Accuracy());
            if (run.isQuantized() && run.weightBits() == 8) {
                assertTrue(run.fakeQuantAccuracy() > run.fp32Accuracy() - 1, run.runId() + ": fake-quant "
                        + run.fakeQuantAccuracy() + " against FP32 " + run.fp32Accuracy());
            }
        }
    }
}
