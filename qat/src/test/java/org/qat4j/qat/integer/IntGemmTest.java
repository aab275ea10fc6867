package org.qat4j.qat.integer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class IntGemmTest {

    private static int[] scalarProduct(byte[] a, int offset, int rows, int depth, int[] b, int cols) {
        int[] c = new int[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                long sum = 0;
                for (int k = 0; k < depth; k++) {
                    sum += (long) (a[offset + i * depth + k] & 0xFF) * b[k * cols + j];
                }
                c[i * cols + j] = (int) sum;
            }
        }
        return c;
    }

    @Test
    void kernelMatchesScalarOnOddShapes() {
        Random random = new Random(17);
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 50};
        for (int rows : sizes) {
            for (int cols : sizes) {
                int depth = 1 + random.nextInt(40);
                int offset = random.nextInt(5);
                byte[] a = new byte[offset + rows * depth];
                random.nextBytes(a);
                int[] b = new int[depth * cols];
                for (int i = 0; i < b.length; i++) {
                    b[i] = random.nextInt(256) - 128;
                }
                int[] actual = new int[rows * cols];
                IntGemm.multiply(a, offset, rows, depth, b, cols, actual);
                assertArrayEquals(scalarProduct(a, offset, rows, depth, b, cols), actual,
                        "rows " + rows + " depth " + depth + " cols " + cols);
            }
        }
    }

    @Test
    void columnMajorKernelMatchesScalar() {
        Random random = new Random(19);
        int[] sizes = {1, 3, 4, 5, 8, 13, 16, 17, 33};
        for (int rows : sizes) {
            for (int cols : sizes) {
                int depth = 1 + random.nextInt(30);
                byte[] columnMajor = new byte[rows * depth];
                random.nextBytes(columnMajor);
                byte[] rowMajor = new byte[rows * depth];
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < depth; k++) {
                        rowMajor[i * depth + k] = columnMajor[k * rows + i];
                    }
                }
                int[] b = new int[depth * cols];
                for (int i = 0; i < b.length; i++) {
                    b[i] = random.nextInt(256) - 128;
                }
                int[] actual = new int[rows * cols];
                IntGemm.multiply(columnMajor, 0, 1, rows, rows, depth, b, cols, actual);
                assertArrayEquals(scalarProduct(rowMajor, 0, rows, depth, b, cols), actual,
                        "rows " + rows + " depth " + depth + " cols " + cols);
            }
        }
    }

    @Test
    void kernelMatchesScalarOnLayerShapes() {
        Random random = new Random(23);
        int[][] shapes = {{64, 784, 300}, {196, 144, 32}, {33, 1568, 10}};
        for (int[] shape : shapes) {
            byte[] a = new byte[shape[0] * shape[1]];
            random.nextBytes(a);
            int[] b = new int[shape[1] * shape[2]];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(255) - 127;
            }
            int[] actual = new int[shape[0] * shape[2]];
            IntGemm.multiply(a, 0, shape[0], shape[1], b, shape[2], actual);
            assertArrayEquals(scalarProduct(a, 0, shape[0], shape[1], b, shape[2]), actual);
        }
    }
}
