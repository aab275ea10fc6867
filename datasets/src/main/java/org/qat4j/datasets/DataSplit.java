package org.qat4j.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One split of an image classification data set (for example the MNIST training set): raw
 * unsigned-byte images and their labels, held in memory. The raw bytes are what the integer
 * engine reads; {@link #features} and the batch iterators give normalised FLOAT arrays for
 * training.
 */
public final class DataSplit {

    private final String name;
    private final int size;
    private final int rows;
    private final int cols;
    private final int classes;
    private final byte[] pixels;
    private final byte[] labels;

    /**
     * Creates a split from images and labels read from IDX files.
     *
     * @throws DatasetException when the image and label counts differ or a label is not in
     *     {@code 0..classes-1}
     */
    public static DataSplit of(String name, IdxImages images, IdxLabels labels, int classes) {
        if (images.count() != labels.count()) {
            throw new DatasetException(String.format(
                    "%s split: %s has %d images but %s has %d labels: the two files must come from the "
                            + "same release, so fetch both again.",
                    name, images.source(), images.count(), labels.source(), labels.count()));
        }
        return new DataSplit(name, images.rows(), images.cols(), classes, images.pixels(), labels.labels(),
                labels.source());
    }

    private DataSplit(String name, int rows, int cols, int classes, byte[] pixels, byte[] labels,
            String labelSource) {
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("Class count " + classes + " is out of range: use 1 to 256.");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= classes) {
                throw new DatasetException(String.format(
                        "%s: label %d at index %d is out of range 0..%d (file damaged?).",
                        labelSource, label, i, classes - 1));
            }
        }
        this.name = name;
        this.size = labels.length;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.pixels = pixels;
        this.labels = labels;
    }

    public String name() {
        return name;
    }

    /** Number of images. */
    public int size() {
        return size;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Number of classes, so labels are in {@code 0..classes-1}. */
    public int classes() {
        return classes;
    }

    public int label(int index) {
        return labels[checkIndex(index)] & 0xff;
    }

    /** Returns a copy of all labels. */
    public int[] labels() {
        int[] result = new int[size];
        for (int i = 0; i < size; i++) {
            result[i] = labels[i] & 0xff;
        }
        return result;
    }

    /** Returns the raw pixel at ({@code row}, {@code col}) of image {@code index}, 0..255. */
    public int pixel(int index, int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("Pixel (" + row + ", " + col + ") is outside " + rows + "x" + cols);
        }
        return pixels[checkIndex(index) * pixelsPerImage() + row * cols + col] & 0xff;
    }

    /** Returns a copy of the raw pixels of images {@code from} (inclusive) to {@code to} (exclusive), image after image. */
    public byte[] pixels(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException("Image range [" + from + ", " + to + ") is outside [0, " + size + ")");
        }
        return Arrays.copyOfRange(pixels, from * pixelsPerImage(), to * pixelsPerImage());
    }

    /** Returns a copy of all raw pixels, image after image, row-major. */
    public byte[] pixels() {
        return pixels.clone();
    }

    /** Returns the number of images of each class. */
    public int[] classHistogram() {
        int[] histogram = new int[classes];
        for (byte label : labels) {
            histogram[label & 0xff]++;
        }
        return histogram;
    }

    /** Returns the split made of the first {@code n} images, for quick runs. */
    public DataSplit subset(int n) {
        if (n < 0 || n > size) {
            throw new DatasetException("Subset of " + n + " images is invalid for the " + name + " split of "
                    + size + " images: use 0 to " + size + ".");
        }
        if (n == size) {
            return this;
        }
        return new DataSplit(name, rows, cols, classes, Arrays.copyOf(pixels, n * pixelsPerImage()),
                Arrays.copyOf(labels, n), name);
    }

    /** Returns all images as one normalised FLOAT array in the given layout. */
    public INDArray features(Normalization normalization, Layout layout) {
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        return features(order, 0, size, normalization.lookupTable(), layout);
    }

    /** Returns batches of {@code batchSize} images in file order. The last batch may be smaller. */
    public BatchIterator batches(int batchSize, Normalization normalization, Layout layout) {
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        return new BatchIterator(this, order, batchSize, normalization, layout);
    }

    /**
     * Returns batches of {@code batchSize} images in the order {@link #shuffledOrder(long)} gives
     * for {@code seed}. The last batch may be smaller. Use a different seed for each epoch, for
     * example {@code baseSeed + epoch}.
     */
    public BatchIterator shuffledBatches(int batchSize, long seed, Normalization normalization, Layout layout) {
        return new BatchIterator(this, shuffledOrder(seed), batchSize, normalization, layout);
    }

    /** Returns a permutation of {@code 0..size-1} (Fisher-Yates shuffle driven by {@code seed}). */
    public int[] shuffledOrder(long seed) {
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Normalises images {@code order[from..to)} into a new FLOAT array. */
    INDArray features(int[] order, int from, int to, float[] lookupTable, Layout layout) {
        int perImage = pixelsPerImage();
        float[] values = new float[(to - from) * perImage];
        for (int i = from; i < to; i++) {
            int source = order[i] * perImage;
            int target = (i - from) * perImage;
            for (int k = 0; k < perImage; k++) {
                values[target + k] = lookupTable[pixels[source + k] & 0xff];
            }
        }
        return Nd4j.create(values, layout.shape(to - from, rows, cols), DataType.FLOAT);
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Image " + index + " is outside the " + name + " split of " + size);
        }
        return index;
    }

    @Override
    public String toString() {
        return name + " split: " + size + " images of " + rows + "x" + cols + ", " + classes + " classes";
    }
}
