package org.qat4j.qat.integer;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer matrix product {@code C = A * B} with uint8 activations {@code A} (one byte per
 * value, read as unsigned), int weights {@code B} widened once from int8, and int32 results.
 *
 * <p>{@code A} is addressed with two strides, so the same kernel reads it row-major (a linear
 * layer's input, {@code A[i][k]} at {@code i * depth + k}) or column-major (a convolution's
 * unfolded input, {@code A[i][k]} at {@code k * rows + i}).
 *
 * <p>The kernel keeps a tile of 4 rows by 16 columns of {@code C} in eight 256-bit vector
 * registers and walks the shared dimension once per tile, broadcasting one activation per
 * row and multiplying it with 16 weights. Rows beyond a multiple of 4 use a 1-row tile, and
 * columns beyond a multiple of 16 use a scalar loop. Sums wrap modulo {@code 2^32} like Java
 * int arithmetic; callers check at construction that true accumulators fit in int32.
 */
public final class IntGemm {

    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_256;
    private static final int LANES = 8;
    private static final int TILE_COLUMNS = 2 * LANES;
    private static final int TILE_ROWS = 4;

    private IntGemm() {
    }

    /**
     * Computes {@code c[i * cols + j] = sum_k (a[aOffset + i * depth + k] & 0xFF) * b[k * cols + j]}
     * for {@code 0 <= i < rows}, {@code 0 <= j < cols}: {@code A} row-major.
     */
    public static void multiply(byte[] a, int aOffset, int rows, int depth, int[] b, int cols, int[] c) {
        multiply(a, aOffset, depth, 1, rows, depth, b, cols, c);
    }

    /**
     * Computes {@code c[i * cols + j] = sum_k (a[aOffset + i * rowStride + k * depthStride] & 0xFF) * b[k * cols + j]}
     * for {@code 0 <= i < rows}, {@code 0 <= j < cols}.
     */
    public static void multiply(byte[] a, int aOffset, int rowStride, int depthStride, int rows, int depth, int[] b,
                                int cols, int[] c) {
        int vectorCols = cols - cols % TILE_COLUMNS;
        int tiledRows = rows - rows % TILE_ROWS;

        for (int i = 0; i < tiledRows; i += TILE_ROWS) {
            for (int j = 0; j < vectorCols; j += TILE_COLUMNS) {
                multiplyTile4x16(a, aOffset + i * rowStride, rowStride, depthStride, depth, b, cols, j, c, i * cols + j);
            }
        }
        for (int i = tiledRows; i < rows; i++) {
            for (int j = 0; j < vectorCols; j += TILE_COLUMNS) {
                multiplyTile1x16(a, aOffset + i * rowStride, depthStride, depth, b, cols, j, c, i * cols + j);
            }
        }
        if (vectorCols < cols) {
            multiplyScalarColumns(a, aOffset, rowStride, depthStride, rows, depth, b, cols, vectorCols, c);
        }
    }

    private static void multiplyTile4x16(byte[] a, int rowStart, int rowStride, int depthStride, int depth, int[] b,
                                         int cols, int col, int[] c, int cOffset) {
        IntVector c00 = IntVector.zero(SPECIES);
        IntVector c01 = c00;
        IntVector c10 = c00;
        IntVector c11 = c00;
        IntVector c20 = c00;
        IntVector c21 = c00;
        IntVector c30 = c00;
        IntVector c31 = c00;

        for (int k = 0, p = rowStart, bOffset = col; k < depth; k++, p += depthStride, bOffset += cols) {
            IntVector b0 = IntVector.fromArray(SPECIES, b, bOffset);
            IntVector b1 = IntVector.fromArray(SPECIES, b, bOffset + LANES);
            int x0 = a[p] & 0xFF;
            int x1 = a[p + rowStride] & 0xFF;
            int x2 = a[p + 2 * rowStride] & 0xFF;
            int x3 = a[p + 3 * rowStride] & 0xFF;
            c00 = b0.mul(x0).add(c00);
            c01 = b1.mul(x0).add(c01);
            c10 = b0.mul(x1).add(c10);
            c11 = b1.mul(x1).add(c11);
            c20 = b0.mul(x2).add(c20);
            c21 = b1.mul(x2).add(c21);
            c30 = b0.mul(x3).add(c30);
            c31 = b1.mul(x3).add(c31);
        }

        int o = cOffset;
        c00.intoArray(c, o);
        c01.intoArray(c, o + LANES);
        o += cols;
        c10.intoArray(c, o);
        c11.intoArray(c, o + LANES);
        o += cols;
        c20.intoArray(c, o);
        c21.intoArray(c, o + LANES);
        o += cols;
        c30.intoArray(c, o);
        c31.intoArray(c, o + LANES);
    }

    private static void multiplyTile1x16(byte[] a, int rowStart, int depthStride, int depth, int[] b, int cols, int col,
                                         int[] c, int cOffset) {
        IntVector c0 = IntVector.zero(SPECIES);
        IntVector c1 = c0;
        for (int k = 0, p = rowStart, bOffset = col; k < depth; k++, p += depthStride, bOffset += cols) {
            int x = a[p] & 0xFF;
            c0 = IntVector.fromArray(SPECIES, b, bOffset).mul(x).add(c0);
            c1 = IntVector.fromArray(SPECIES, b, bOffset + LANES).mul(x).add(c1);
        }
        c0.intoArray(c, cOffset);
        c1.intoArray(c, cOffset + LANES);
    }

    private static void multiplyScalarColumns(byte[] a, int aOffset, int rowStride, int depthStride, int rows,
                                              int depth, int[] b, int cols, int firstCol, int[] c) {
        for (int i = 0; i < rows; i++) {
            int rowStart = aOffset + i * rowStride;
            for (int j = firstCol; j < cols; j++) {
                int sum = 0;
                for (int k = 0, p = rowStart; k < depth; k++, p += depthStride) {
                    sum += (a[p] & 0xFF) * b[k * cols + j];
                }
                c[i * cols + j] = sum;
            }
        }
    }

    /** Rounds a column count up to a whole number of 16-column tiles. */
    public static int paddedColumns(int cols) {
        return (cols + TILE_COLUMNS - 1) / TILE_COLUMNS * TILE_COLUMNS;
    }
}
