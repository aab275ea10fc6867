package org.qat4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DataSplitTest {

    private static final int ROWS = 3;
    private static final int COLS = 2;

    /** Ten images of 3x2 with labels 9, 8, ..., 0: image i has label 9 - i. */
    private static DataSplit tenImages() {
        IdxImages images = IdxReader.parseImages("images", SyntheticIdx.images(10, ROWS, COLS));
        IdxLabels labels = IdxReader.parseLabels("labels", SyntheticIdx.labels(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        return DataSplit.of("train", images, labels, 10);
    }

    @Test
    void countMismatchNamesBothFiles() {
        IdxImages images = IdxReader.parseImages("train-images-idx3-ubyte", SyntheticIdx.images(3, 2, 2));
        IdxLabels labels = IdxReader.parseLabels("train-labels-idx1-ubyte", SyntheticIdx.labels(1, 2));

        DatasetException e = assertThrows(DatasetException.class, () -> DataSplit.of("train", images, labels, 10));

        assertEquals("train split: train-images-idx3-ubyte has 3 images but train-labels-idx1-ubyte has 2 labels:"
                + " the two files must come from the same release, so fetch both again.", e.getMessage());
    }

    @Test
    void labelOutOfRangeIsRejected() {
        IdxImages images = IdxReader.parseImages("images", SyntheticIdx.images(3, 2, 2));
        IdxLabels labels = IdxReader.parseLabels("t10k-labels-idx1-ubyte", SyntheticIdx.labels(1, 10, 2));

        DatasetException e = assertThrows(DatasetException.class, () -> DataSplit.of("test", images, labels, 10));

        assertEquals("t10k-labels-idx1-ubyte: label 10 at index 1 is out of range 0..9 (file damaged?).",
                e.getMessage());
    }

    @Test
    void rawPixelsAndLabelsAreKept() {
        DataSplit split = tenImages();

        assertEquals(10, split.size());
        assertEquals(9, split.label(0));
        assertEquals(0, split.label(9));
        // Image 1, row 2, col 1 is pixel 6 + 2 * 2 + 1 = 11 of the file: 11 * 7 + 3 = 80.
        assertEquals(80, split.pixel(1, 2, 1));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, split.classHistogram());
        byte[] second = split.pixels(1, 2);
        assertEquals(6, second.length);
        assertEquals(SyntheticIdx.pixel(6), second[0] & 0xff);
    }

    @Test
    void subsetKeepsFirstImages() {
        DataSplit subset = tenImages().subset(4);

        assertEquals(4, subset.size());
        assertArrayEquals(new int[] {9, 8, 7, 6}, subset.labels());
        assertEquals(24, subset.pixels().length);
        DatasetException e = assertThrows(DatasetException.class, () -> tenImages().subset(11));
        assertEquals("Subset of 11 images is invalid for the train split of 10 images: use 0 to 10.", e.getMessage());
    }

    @Test
    void shuffledOrderIsSeededPermutation() {
        DataSplit split = tenImages();

        int[] first = split.shuffledOrder(42);
        int[] again = split.shuffledOrder(42);
        int[] other = split.shuffledOrder(43);

        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other), "seeds 42 and 43 gave the same order");
        assertFalse(Arrays.equals(first, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), "order not shuffled");
        int[] sorted = first.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
    }

    @Test
    void mnistNormalizationValues() {
        Normalization mnist = Normalization.MNIST;

        // (p / 255 - 0.1307) / 0.3081, rounded to float.
        assertEquals(-0.42421293f, mnist.apply(0));
        assertEquals(-0.29693058f, mnist.apply(10));
        assertEquals(1.2050009f, mnist.apply(128));
        assertEquals(2.8214865f, mnist.apply(255));
        assertEquals(0.011764706f, Normalization.UNIT_RANGE.apply(3));
        assertEquals(1.0f, Normalization.UNIT_RANGE.apply(255));
    }

    @Test
    void invalidStdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Normalization(0.5, 0));

        assertEquals("Normalization std 0.0 is invalid: use a finite value > 0.", e.getMessage());
    }

    @Test
    void flatFeaturesHaveNormalizedPixels() {
        INDArray features = tenImages().features(Normalization.MNIST, Layout.FLAT);

        assertEquals(DataType.FLOAT, features.dataType());
        assertArrayEquals(new long[] {10, 6}, features.shape());
        // Pixel 0 of the file is 3 and pixel 1 is 10.
        assertEquals(-0.38602823f, features.getFloat(0, 0));
        assertEquals(-0.29693058f, features.getFloat(0, 1));
        // Image 9, pixel 5 is file pixel 59: (59 * 7 + 3) mod 256 = 160.
        assertEquals(Normalization.MNIST.apply(160), features.getFloat(9, 5));
    }

    @Test
    void nchwFeaturesHaveOneChannel() {
        INDArray features = tenImages().features(Normalization.UNIT_RANGE, Layout.NCHW);

        assertEquals(DataType.FLOAT, features.dataType());
        assertArrayEquals(new long[] {10, 1, 3, 2}, features.shape());
        // Image 1, row 2, col 1 is file pixel 11: 80 / 255.
        assertEquals((float) (80 / 255.0), features.getFloat(1, 0, 2, 1));
    }

    @Test
    void shuffledBatchesFollowOrder() {
        DataSplit split = tenImages();
        int[] order = split.shuffledOrder(7);

        BatchIterator batches = split.shuffledBatches(4, 7, Normalization.UNIT_RANGE, Layout.NCHW);

        assertEquals(3, batches.batchCount());
        List<Batch> all = new ArrayList<>();
        batches.forEachRemaining(all::add);
        assertEquals(3, all.size());
        assertEquals(4, all.get(0).size());
        assertEquals(2, all.get(2).size());
        assertArrayEquals(new long[] {2, 1, 3, 2}, all.get(2).features().shape());
        for (int b = 0; b < all.size(); b++) {
            Batch batch = all.get(b);
            for (int j = 0; j < batch.size(); j++) {
                int index = order[b * 4 + j];
                assertEquals(index, batch.indices()[j]);
                assertEquals(9 - index, batch.labels()[j]);
                assertEquals(split.pixel(index, 1, 0) / 255.0f, batch.features().getFloat(j, 0, 1, 0), 1e-7f);
            }
        }
    }

    @Test
    void orderedBatchesCoverSplitOnce() {
        BatchIterator batches = tenImages().batches(5, Normalization.MNIST, Layout.FLAT);

        Batch first = batches.next();
        Batch second = batches.next();

        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, first.indices());
        assertArrayEquals(new int[] {4, 3, 2, 1, 0}, second.labels());
        assertArrayEquals(new long[] {5, 6}, second.features().shape());
        assertFalse(batches.hasNext());
        assertThrows(java.util.NoSuchElementException.class, batches::next);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> tenImages().batches(0, Normalization.MNIST, Layout.FLAT)).getMessage().contains("Batch size 0"));
    }
}
