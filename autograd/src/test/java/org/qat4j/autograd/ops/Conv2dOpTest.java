package org.qat4j.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.F;
import org.qat4j.autograd.GradCheck;
import org.qat4j.autograd.Tensor;

class Conv2dOpTest {

    /** Direct seven-loop convolution with zero padding. */
    static INDArray reference(INDArray x, INDArray w, INDArray b, int stride, int padding) {
        int n = (int) x.size(0);
        int c = (int) x.size(1);
        int h = (int) x.size(2);
        int wd = (int) x.size(3);
        int oc = (int) w.size(0);
        int kh = (int) w.size(2);
        int kw = (int) w.size(3);
        int oh = (h + 2 * padding - kh) / stride + 1;
        int ow = (wd + 2 * padding - kw) / stride + 1;

        INDArray y = org.nd4j.linalg.factory.Nd4j.create(DataType.DOUBLE, n, oc, oh, ow);
        for (int img = 0; img < n; img++) {
            for (int o = 0; o < oc; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = b == null ? 0 : b.getDouble(o);
                        for (int ch = 0; ch < c; ch++) {
                            for (int p = 0; p < kh; p++) {
                                for (int q = 0; q < kw; q++) {
                                    int r = i * stride + p - padding;
                                    int s = j * stride + q - padding;
                                    if (r >= 0 && r < h && s >= 0 && s < wd) {
                                        sum += w.getDouble(o, ch, p, q) * x.getDouble(img, ch, r, s);
                                    }
                                }
                            }
                        }
                        y.putScalar(new long[] {img, o, i, j}, sum);
                    }
                }
            }
        }

        return y;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape());
        for (long i = 0; i < expected.length(); i++) {
            assertEquals(expected.getDouble(i), actual.getDouble(i), tolerance, "element " + i);
        }
    }

    @Test
    void strideTwoPaddingOneMatchesReference() {
        Tensor x = Tensor.parameter(GradCheck.random(1, 2, 3, 5, 6));
        Tensor w = Tensor.parameter(GradCheck.random(2, 4, 3, 3, 3));
        Tensor b = Tensor.parameter(GradCheck.random(3, 4));
        Tensor y = F.conv2d(x, w, b, 2, 1);
        assertArrayEquals(new long[] {2, 4, 3, 3}, y.shape());
        assertClose(reference(x.value(), w.value(), b.value(), 2, 1), y.value(), 1e-12);
        GradCheck.check(() -> F.conv2d(x, w, b, 2, 1), List.of(x, w, b));
    }

    @Test
    void strideOnePaddingZeroMatchesReference() {
        Tensor x = Tensor.parameter(GradCheck.random(4, 2, 2, 5, 4));
        Tensor w = Tensor.parameter(GradCheck.random(5, 3, 2, 2, 3));
        Tensor y = F.conv2d(x, w, null, 1, 0);
        assertArrayEquals(new long[] {2, 3, 4, 2}, y.shape());
        assertClose(reference(x.value(), w.value(), null, 1, 0), y.value(), 1e-12);
        GradCheck.check(() -> F.conv2d(x, w, null, 1, 0), List.of(x, w));
    }

    @Test
    void threeByThreePaddingOneMatchesReference() {
        Tensor x = Tensor.parameter(GradCheck.random(6, 3, 2, 4, 4));
        Tensor w = Tensor.parameter(GradCheck.random(7, 2, 2, 3, 3));
        Tensor b = Tensor.parameter(GradCheck.random(8, 2));
        assertClose(reference(x.value(), w.value(), b.value(), 1, 1), F.conv2d(x, w, b, 1, 1).value(), 1e-12);
        GradCheck.check(() -> F.conv2d(x, w, b, 1, 1), List.of(x, w, b));
    }

    @Test
    void stridedWithLargePadding() {
        Tensor x = Tensor.parameter(GradCheck.random(9, 1, 1, 3, 3));
        Tensor w = Tensor.parameter(GradCheck.random(10, 2, 1, 2, 2));
        assertClose(reference(x.value(), w.value(), null, 3, 2), F.conv2d(x, w, null, 3, 2).value(), 1e-12);
        GradCheck.check(() -> F.conv2d(x, w, null, 3, 2), List.of(x, w));
    }

    @Test
    void floatAgreesWithDouble() {
        INDArray x = GradCheck.random(11, 4, 3, 6, 6);
        INDArray w = GradCheck.random(12, 5, 3, 3, 3);
        INDArray b = GradCheck.random(13, 5);
        INDArray expected = reference(x, w, b, 1, 1);
        INDArray single = F.conv2d(Tensor.constant(x.castTo(DataType.FLOAT)), Tensor.constant(w.castTo(DataType.FLOAT)),
                Tensor.constant(b.castTo(DataType.FLOAT)), 1, 1).value();
        assertEquals(DataType.FLOAT, single.dataType());
        assertClose(expected, single, 1e-5);
    }

    @Test
    void floatGradientsAgreeWithDouble() {
        INDArray x = GradCheck.random(14, 2, 2, 5, 5);
        INDArray w = GradCheck.random(15, 3, 2, 3, 3);
        INDArray seed = GradCheck.random(16, 2, 3, 3, 3);
        Tensor xd = Tensor.parameter(x);
        Tensor wd = Tensor.parameter(w);
        F.conv2d(xd, wd, null, 2, 1).backward(seed);
        Tensor xf = Tensor.parameter(x.castTo(DataType.FLOAT));
        Tensor wf = Tensor.parameter(w.castTo(DataType.FLOAT));
        F.conv2d(xf, wf, null, 2, 1).backward(seed.castTo(DataType.FLOAT));
        assertClose(xd.grad(), xf.grad(), 1e-5);
        assertClose(wd.grad(), wf.grad(), 1e-5);
    }

    @Test
    void channelMismatchRejected() {
        Tensor x = Tensor.parameter(GradCheck.random(17, 1, 2, 4, 4));
        Tensor w = Tensor.parameter(GradCheck.random(18, 3, 1, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(x, w, null, 1, 1));
        assertEquals("conv2d: input has 2 channels but the weight [3, 1, 3, 3] expects 1", e.getMessage());
    }
}
