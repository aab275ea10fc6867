package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.qat4j.experiments.training.QuantCheckpoint;
import org.qat4j.qat.integer.Exporter;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.ModelFile;
import picocli.CommandLine.Command;
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

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new UserInputException("Checkpoint " + checkpoint + " not found: create one with 'qat4j ptq' or 'qat4j qat'.");
        }
        QuantCheckpoint.Loaded loaded = QuantCheckpoint.load(checkpoint);
        IntegerModel model = Exporter.export(loaded.model(), MNIST_INPUT_SHAPE);
        ModelFile.write(model, out);
        System.out.println("Wrote " + out + " (" + Files.size(out) + " bytes)");
        System.out.println(model.summary());
        return 0;
    }
}
