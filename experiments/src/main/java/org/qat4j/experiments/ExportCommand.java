package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.qat4j.datasets.DataSplit;
import org.qat4j.experiments.training.Evaluation;
import org.qat4j.experiments.training.QuantCheckpoint;
import org.qat4j.experiments.training.Quantization;
import org.qat4j.qat.integer.Exporter;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qat4j export}: turns a quantized checkpoint into an integer-only model file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a quantized checkpoint (from 'qat4j ptq' or 'qat4j qat') to an integer-only model file.")
public final class ExportCommand implements Callable<Integer> {

    /** Shape of one MNIST input sample, as the integer engine reads it. */
    static final int[] MNIST_INPUT_SHAPE = {1, 28, 28};

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "Quantized checkpoint (.ckpt).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write (.q4j).")
    Path out;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Check the written model on the MNIST test images: every layer output of the integer engine "
                    + "against the exact simulation, and the predictions against fake quantization (default: on; "
                    + "--no-verify skips it).")
    boolean verify;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new UserInputException("Checkpoint " + checkpoint + " not found: create one with 'qat4j ptq' or 'qat4j qat'.");
        }
        if (Files.isDirectory(out)) {
            throw new UserInputException("--out " + out + " is a folder: give the path of the model file to write,"
                    + " for example " + out.resolve("model.q4j"));
        }
        QuantCheckpoint.Loaded loaded = QuantCheckpoint.load(checkpoint);
        IntegerModel model = Exporter.export(loaded.model(), MNIST_INPUT_SHAPE);
        ModelFile.write(model, out);
        System.out.println("Wrote " + out + " (" + Files.size(out) + " bytes, " + model.layers().size()
                + " layers); 'qat4j inspect " + out + "' shows its contents");

        if (verify) {
            DataSplit test = data.load().test();
            IntegerModel written = InferCommand.readModel(out);
            long mismatches = ExportVerification.layerMismatches(written, test);
            int[] fakeQuant = Evaluation.predict(loaded.model(), test, Quantization.INPUT, loaded.kind().layout());
            int[] integer;
            try (IntegerEngine engine = new IntegerEngine(written)) {
                integer = engine.classify(test.pixels());
            }
            System.out.printf(Locale.ROOT, "Verified on %d test images: integer engine and exact simulation differ in %d "
                    + "layer output values; predictions agree with fake quantization on %.2f%%; integer accuracy %.2f%%%n",
                    test.size(), mismatches, Evaluation.agreement(integer, fakeQuant),
                    Evaluation.accuracy(integer, test.labels()));
            if (mismatches != 0) {
                throw new IllegalStateException("The integer engine and the exact simulation of " + out + " differ in "
                        + mismatches + " layer output values; please report this with the checkpoint.");
            }
        }
        return 0;
    }
}
