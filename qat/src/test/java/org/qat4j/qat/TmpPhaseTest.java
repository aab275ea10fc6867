package org.qat4j.qat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TmpPhaseTest {
    @Test
    void phases() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 128, 300);
        ChannelLayout layout = ChannelLayout.of(x.shape(), -1);
        float[] out = new float[38400];
        float[] s = {0.02f};
        float[] z = {128f};
        int reps = 5000;
        for (int warm = 0; warm < 3; warm++) {
            long t0 = System.nanoTime();
            float[] v = null;
            for (int i = 0; i < reps; i++) v = Buffers.readFloats(x);
            long t1 = System.nanoTime();
            for (int i = 0; i < reps; i++) Buffers.requireFinite(v, "t");
            long t2 = System.nanoTime();
            for (int i = 0; i < reps; i++) FakeQuantKernels.forward(v, out, s, z, 0, 255, layout, true);
            long t3 = System.nanoTime();
            for (int i = 0; i < reps; i++) Buffers.create(out, x.shape());
            long t4 = System.nanoTime();
            System.err.printf("read %.4f finite %.4f kernel %.4f create %.4f ms%n", (t1 - t0) / 1e6 / reps,
                    (t2 - t1) / 1e6 / reps, (t3 - t2) / 1e6 / reps, (t4 - t3) / 1e6 / reps);
        }
    }
}
