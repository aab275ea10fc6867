package org.qat4j.qat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.Tensor;

class TmpSpeedTest {
    @Test
    void speed() {
        for (long[] shape : new long[][] {{128, 300}, {128, 16, 28, 28}}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, shape);
            Tensor xt = Tensor.parameter(x);
            Tensor s = Tensor.constant(Nd4j.createFromArray(0.02f));
            Tensor z = Tensor.constant(Nd4j.createFromArray(128f));
            INDArray g = Nd4j.onesLike(x);
            int reps = shape.length == 2 ? 2000 : 40;
            for (int warm = 0; warm < 2; warm++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    FakeQuantOp.apply(xt, s, z, QuantGrid.unsigned(8), -1, 1.0, "t");
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    Tensor out = FakeQuantOp.apply(xt, s, z, QuantGrid.unsigned(8), -1, 1.0, "t");
                    out.backward(g);
                    xt.zeroGrad();
                }
                long t2 = System.nanoTime();
                INDArray min = Nd4j.createFromArray(-2.56f), max = Nd4j.createFromArray(2.54f);
                for (int i = 0; i < reps; i++) {
                    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.custom.FakeQuantWithMinMaxVars(x, min, max, 8, false));
                }
                long t3 = System.nanoTime();
                System.err.printf("%s fwd %.3f ms, fwd+bwd %.3f ms, libnd4j fwd %.3f ms%n", java.util.Arrays.toString(shape),
                        (t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps, (t3 - t2) / 1e6 / reps);
            }
        }
    }
}
