package org.qat4j.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.qat4j.autograd.GradCheck;
import org.qat4j.autograd.Tensor;

class ModuleGradientTest {

    private static List<Tensor> inputAndParameters(Tensor x, Module module) {
        List<Tensor> all = new ArrayList<>();
        all.add(x);
        all.addAll(module.parameters());
        return all;
    }

    @Test
    void linearModule() {
        Linear linear = new Linear(5, 3, 11);
        linear.to(DataType.DOUBLE);
        linear.bias().value().assign(GradCheck.random(1, 3));
        Tensor x = Tensor.parameter(GradCheck.random(2, 4, 5));
        GradCheck.check(() -> linear.forward(x), inputAndParameters(x, linear));
    }

    @Test
    void conv2dModule() {
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, true, 12);
        conv.to(DataType.DOUBLE);
        conv.bias().value().assign(GradCheck.random(3, 3));
        Tensor x = Tensor.parameter(GradCheck.random(4, 2, 2, 5, 5));
        GradCheck.check(() -> conv.forward(x), inputAndParameters(x, conv));
    }

    @Test
    void batchNormModuleTrainingAndEval() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.to(DataType.DOUBLE);
        bn.gamma().value().assign(GradCheck.random(5, 3).addi(1.5));
        bn.beta().value().assign(GradCheck.random(6, 3));
        Tensor x = Tensor.parameter(GradCheck.random(7, 2, 3, 2, 3));
        GradCheck.check(() -> bn.forward(x), inputAndParameters(x, bn));
        bn.eval();
        GradCheck.check(() -> bn.forward(x), inputAndParameters(x, bn));
    }

    @Test
    void sequentialConvNet() {
        // Values avoid ReLU kinks and pooling ties with high probability; the seed is fixed.
        Sequential net = new Sequential(
                new Conv2d(1, 2, 3, 1, 1, false, 21),
                new BatchNorm2d(2),
                new ReLU(),
                new MaxPool2d(2, 2),
                new Flatten(),
                new Linear(2 * 2 * 2, 3, 22));
        net.to(DataType.DOUBLE);
        Tensor x = Tensor.parameter(GradCheck.random(8, 3, 1, 4, 4));
        GradCheck.check(() -> net.forward(x), inputAndParameters(x, net));
    }

    @Test
    void sequentialMlpWithLoss() {
        Sequential net = new Sequential(new Linear(4, 6, 31), new ReLU(), new Linear(6, 3, 32));
        net.to(DataType.DOUBLE);
        Tensor x = Tensor.parameter(GradCheck.random(9, 5, 4));
        int[] labels = {0, 2, 1, 1, 0};
        GradCheck.check(() -> org.qat4j.autograd.F.crossEntropy(net.forward(x), labels), inputAndParameters(x, net));
    }

    @Test
    void parameterNamesAreDotted() {
        Sequential net = Models.cnn(1);
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "4.weight", "5.weight", "5.bias", "9.weight", "9.bias"),
                new ArrayList<>(net.namedParameters().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var", "5.running_mean", "5.running_var"),
                new ArrayList<>(net.namedBuffers().keySet()));
    }
}
