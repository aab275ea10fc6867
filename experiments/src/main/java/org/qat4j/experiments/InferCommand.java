package org.qat4j.experiments;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Mnist;
import org.qat4j.experiments.training.Evaluation;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.ModelFile;
import org.qat4j.qat.integer.ModelFileException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qat4j infer}: runs an integer model file on MNIST or on one image. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run an integer model on the integer engine: accuracy on the 10000 MNIST test images, or the "
                + "class of one test image (--index) or of one 28x28 grey image file (--image, PGM or PNG).")
public final class InferCommand implements Callable<Integer> {

    private static final int SIDE = 28;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Integer model file (.q4j).")
    Path model;

    @ArgGroup(exclusive = true)
    Single single;

    static final class Single {
        @Option(names = "--index", paramLabel = "I", description = "Classify test image I (0 to 9999).")
        Integer index;

        @Option(names = "--image", paramLabel = "FILE",
                description = "Classify a 28x28 image: PGM (P2 or P5) or PNG, white digit on black as in MNIST.")
        Path image;
    }

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Worker threads of the engine (default: ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException {
        IntegerModel integerModel = readModel(model);
        try (IntegerEngine engine = new IntegerEngine(integerModel, IntegerEngine.DEFAULT_BATCH_SIZE, threads)) {
            if (single != null && single.image != null) {
                int predicted = engine.classify(readImage(single.image))[0];
                System.out.println(single.image + ": class " + predicted);
                return 0;
            }
            DataSplit test = data.load().test();
            if (single != null && single.index != null) {
                int index = single.index;
                if (index < 0 || index >= test.size()) {
                    throw new UserInputException("--index " + index + " is out of range: use 0 to " + (test.size() - 1));
                }
                int predicted = engine.classify(test.pixels(index, index + 1))[0];
                System.out.printf(Locale.ROOT, "test image %d: class %d (label %d)%n", index, predicted, test.label(index));
                return 0;
            }
            long start = System.nanoTime();
            int[] predictions = engine.classify(test.pixels());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s: accuracy %.2f%% on %d MNIST test images (%.0f images/s, %d threads)%n",
                    model, Evaluation.accuracy(predictions, test.labels()), test.size(), test.size() / seconds, threads);
        }
        return 0;
    }

    /** Reads a model file; a missing or invalid file is a user error with the reason. */
    static IntegerModel readModel(Path path) throws IOException {
        try {
            return ModelFile.read(path);
        } catch (NoSuchFileException e) {
            throw new UserInputException("Model file " + path + " not found: create one with 'qat4j export'.");
        } catch (ModelFileException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /** Reads a 28x28 grey image as raw pixel bytes (PGM P2/P5 with any maxval, or PNG). */
    static byte[] readImage(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new UserInputException("Image " + path + " not found.");
        }
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length >= 2 && bytes[0] == 'P' && (bytes[1] == '2' || bytes[1] == '5')) {
            return Pgm.read(bytes, path, SIDE);
        }
        BufferedImage image;
        try (InputStream in = Files.newInputStream(path)) {
            image = ImageIO.read(in);
        }
        if (image == null) {
            throw new UserInputException("Image " + path + " is neither a PGM nor a PNG file.");
        }
        if (image.getWidth() != SIDE || image.getHeight() != SIDE) {
            throw new UserInputException("Image " + path + " is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels; expected 28x28 (resize it first).");
        }
        return greyPixels(image);
    }

    /**
     * Returns the grey level of each pixel, 0 to 255. Grey images give their stored samples:
     * {@code getRGB} would convert Java's linear grey colour space to sRGB and brighten dark
     * pixels (a stored 1 comes back as 13). Colour images give the Rec. 601 luma of their sRGB values.
     */
    private static byte[] greyPixels(BufferedImage image) {
        byte[] pixels = new byte[SIDE * SIDE];
        ColorModel colorModel = image.getColorModel();
        boolean grey = colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(colorModel instanceof IndexColorModel);
        int maxSample = grey ? (1 << colorModel.getComponentSize(0)) - 1 : 255;
        Raster raster = image.getRaster();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int value;
                if (grey) {
                    value = (raster.getSample(x, y, 0) * 255 + maxSample / 2) / maxSample;
                } else {
                    int rgb = image.getRGB(x, y);
                    value = (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114 + 500) / 1000;
                }
                pixels[y * SIDE + x] = (byte) value;
            }
        }
        return pixels;
    }

    /** Reader of the portable grey map format, plain (P2) and binary (P5). */
    static final class Pgm {

        private final byte[] bytes;
        private final Path path;
        private int position = 2;

        private Pgm(byte[] bytes, Path path) {
            this.bytes = bytes;
            this.path = path;
        }

        static byte[] read(byte[] bytes, Path path, int side) {
            Pgm reader = new Pgm(bytes, path);
            boolean binary = bytes[1] == '5';
            int width = reader.nextNumber("width");
            int height = reader.nextNumber("height");
            int maxValue = reader.nextNumber("maximum value");
            if (width != side || height != side) {
                throw new UserInputException("Image " + path + " is " + width + "x" + height + " pixels; expected "
                        + side + "x" + side + " (resize it first).");
            }
            if (maxValue < 1 || maxValue > 255) {
                throw new UserInputException("Image " + path + " has maximum value " + maxValue
                        + "; only 8-bit PGM files (1 to 255) are supported.");
            }
            byte[] pixels = new byte[side * side];
            if (binary) {
                int start = reader.position + 1;
                if (bytes.length < start + pixels.length) {
                    throw new UserInputException("Image " + path + " is truncated: expected " + pixels.length
                            + " pixel bytes, found " + Math.max(0, bytes.length - start) + ".");
                }
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (byte) reader.scale(i, bytes[start + i] & 0xff, maxValue);
                }
            } else {
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (byte) reader.scale(i, reader.nextNumber("pixel " + i), maxValue);
                }
            }
            return pixels;
        }

        /** Maps a value of the grid {@code [0, maxValue]} to {@code [0, 255]}, rounding half up. */
        private int scale(int pixel, int value, int maxValue) {
            if (value > maxValue) {
                throw new UserInputException("Image " + path + ": pixel " + pixel + " is " + value
                        + ", above the maximum value " + maxValue + " of the PGM header.");
            }
            return (value * 255 + maxValue / 2) / maxValue;
        }

        private int nextNumber(String what) {
            while (position < bytes.length) {
                char c = (char) bytes[position];
                if (c == '#') {
                    while (position < bytes.length && bytes[position] != '\n') {
                        position++;
                    }
                } else if (Character.isWhitespace(c)) {
                    position++;
                } else {
                    break;
                }
            }
            int start = position;
            while (position < bytes.length && bytes[position] >= '0' && bytes[position] <= '9') {
                position++;
            }
            if (start == position) {
                throw new UserInputException("Image " + path + ": expected a number for the PGM " + what
                        + " at byte " + start + " (file truncated or not a PGM file?).");
            }
            String digits = new String(bytes, start, position - start, StandardCharsets.US_ASCII);
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw new UserInputException("Image " + path + ": the PGM " + what + " " + digits + " at byte "
                        + start + " is too large.");
            }
        }
    }
}
