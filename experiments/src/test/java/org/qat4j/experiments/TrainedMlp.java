package org.qat4j.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An MLP trained, quantized and exported through the command line once per JVM, on real MNIST:
 * {@code train --epochs 1 --train-images 2000}, {@code ptq} at W8A8 and {@code export}. The
 * folder is deleted when the JVM exits.
 */
final class TrainedMlp {

    static final String TRAIN_IMAGES = "2000";

    final Path dir;
    final Cli.Result train;
    final Cli.Result ptq;
    final Cli.Result export;
    final Path fp32Checkpoint;
    final Path ptqCheckpoint;
    final Path modelFile;

    private TrainedMlp() throws IOException {
        dir = Files.createTempDirectory("qat4j-trained-mlp");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        String data = RealMnist.directory().toString();

        train = Cli.run("train", "--model", "mlp", "--epochs", "1", "--train-images", TRAIN_IMAGES, "--out",
                dir.toString(), "--data-dir", data);
        fp32Checkpoint = dir.resolve("checkpoints/mlp-fp32-seed1.ckpt");
        ptq = Cli.run("ptq", "--model", "mlp", "--out", dir.toString(), "--data-dir", data);
        ptqCheckpoint = dir.resolve("checkpoints/mlp-ptq-minmax-w8a8-seed1.ckpt");
        modelFile = dir.resolve("mlp-w8a8.q4j");
        export = Cli.run("export", "--checkpoint", ptqCheckpoint.toString(), "--out", modelFile.toString());
    }

    private static final class Holder {
        static final TrainedMlp INSTANCE = create();

        private static TrainedMlp create() {
            try {
                return new TrainedMlp();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static TrainedMlp get() {
        return Holder.INSTANCE;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // The folder is in the system's temporary directory, which is cleaned anyway.
        }
    }
}
