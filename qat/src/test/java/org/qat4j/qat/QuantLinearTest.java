package org.qat4j.qat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;

class QuantLinearTest {

    private static QuantLinear layer(boolean linkInput) {
        return layer(linkInput, DataType.DOUBLE);
    }

    private static QuantLinear layer(boolean linkInput, DataType type) {
        QuantSpec weightSpec = QuantSpec.perChannel(QuantGrid.narrowSigned(8), QuantScheme.SYMMETRIC, 0);
        FakeQuantize weightQuantizer = FakeQuantize.fixed("0.weight", FakeQuantize.Role.WEIGHT, weightSpec,
                new QuantParams(weightSpec.grid(), 0, new double[] {0.5, 0.25}, new int[] {0, 0}));
        QuantSpec inputSpec = QuantSpec.perTensor(QuantGrid.unsigned(8), QuantScheme.ASYMMETRIC);
        FakeQuantize input = FakeQuantize.fixed("input", FakeQuantize.Role.ACTIVATION, inputSpec,
                QuantParams.perTensor(inputSpec.grid(), 0.125, 0));
        QuantLinear linear = new QuantLinear("0", Nd4j.createFromArray(new double[][] {{1.2, -0.6}, {0.3, 0.2}}).castTo(type),
                Nd4j.createFromArray(0.123, -0.2).castTo(type), weightQuantizer);
        linear.link(linkInput ? input : null, null, false);
        return linear;
    }

    @Test
    void weightsAndBiasFakeQuantized() {
        // q(W) rows: s = 0.5 -> [1.0, -0.5]; s = 0.25 -> [0.25, 0.25].
        // Bias on s_w * s_x: 0.0625 * round(1.968) = 0.125 and 0.03125 * round(-6.4) = -0.1875.
        QuantLinear linear = layer(true);
        Tensor y = linear.forward(Tensor.constant(Nd4j.createFromArray(new double[][] {{1.0, 2.0}})));
        assertArrayEquals(new double[] {1.0 - 1.0 + 0.125, 0.25 + 0.5 - 0.1875}, y.value().reshape(-1).toDoubleVector(),
                1e-12);
    }

    @Test
    void biasUnquantizedWithoutInputQuantizer() {
        QuantLinear linear = layer(false);
        Tensor y = linear.forward(Tensor.constant(Nd4j.createFromArray(new double[][] {{1.0, 2.0}})));
        assertArrayEquals(new double[] {0.123, 0.75 - 0.2}, y.value().reshape(-1).toDoubleVector(), 1e-12);
    }

    @Test
    void biasGradientPassesStraightThrough() {
        QuantLinear linear = layer(true);
        Tensor y = linear.forward(Tensor.constant(Nd4j.createFromArray(new double[][] {{1.0, 2.0}, {0.5, 0.5}})));
        F.sum(y).backward();
        assertArrayEquals(new double[] {2.0, 2.0}, linear.bias().grad().toDoubleVector(), 0.0);
        // Weights inside the grid: the gradient is the summed input, as without quantization.
        assertArrayEquals(new double[] {1.5, 2.5, 1.5, 2.5}, linear.weight().grad().reshape(-1).toDoubleVector(), 0.0);
    }

    @Test
    void repeatedStepsMatchFreshLayer() {
        // The quantized weight and bias are handed back for reuse after each pass; later passes (with and
        // without a recorded graph) must still see correct values.
        double[][] first = {{1.0, 2.0}, {0.5, 0.5}};
        double[][] second = {{-1.5, 0.25}, {2.0, -0.75}};
        QuantLinear reused = layer(true, DataType.FLOAT);
        F.sum(reused.forward(Tensor.constant(Nd4j.createFromArray(first).castTo(DataType.FLOAT)))).backward();
        reused.weight().zeroGrad();
        reused.bias().zeroGrad();
        try (NoGrad ignored = NoGrad.enter()) {
            reused.forward(Tensor.constant(Nd4j.createFromArray(first).castTo(DataType.FLOAT)));
        }
        Tensor y = reused.forward(Tensor.constant(Nd4j.createFromArray(second).castTo(DataType.FLOAT)));
        F.sum(y).backward();

        QuantLinear fresh = layer(true, DataType.FLOAT);
        Tensor expected = fresh.forward(Tensor.constant(Nd4j.createFromArray(second).castTo(DataType.FLOAT)));
        F.sum(expected).backward();
        assertArrayEquals(expected.value().reshape(-1).toDoubleVector(), y.value().reshape(-1).toDoubleVector(), 0.0);
        assertArrayEquals(fresh.weight().grad().reshape(-1).toDoubleVector(),
                reused.weight().grad().reshape(-1).toDoubleVector(), 0.0);
        assertArrayEquals(fresh.bias().grad().toDoubleVector(), reused.bias().grad().toDoubleVector(), 0.0);
    }
}
