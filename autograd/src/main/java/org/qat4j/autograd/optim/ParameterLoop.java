package org.qat4j.autograd.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.Tensor;

/**
 * Shared plumbing of the optimizers: the checked parameter list and a chunked pass that
 * copies each parameter and its gradient into {@code double[]} rows, lets the update rule
 * work on plain arrays, and writes the parameter back.
 */
final class ParameterLoop {

    static final int CHUNK = 8192;

    /** Update rule applied to {@code length} elements; {@code offset} is the position in the whole parameter. */
    @FunctionalInterface
    interface Rule {
        void update(int parameterIndex, int offset, double[] values, double[] grads, int length);
    }

    private final List<Tensor> parameters;
    private final double[] values = new double[CHUNK];
    private final double[] grads = new double[CHUNK];

    ParameterLoop(List<Tensor> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("The optimizer got no parameters; pass module.parameters()");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor parameter : parameters) {
            if (!parameter.requiresGrad() || !parameter.isLeaf()) {
                throw new IllegalArgumentException("Optimizer parameter " + parameter
                        + " is not a trainable leaf; pass tensors created by Tensor.parameter");
            }
            if (!seen.add(parameter)) {
                throw new IllegalArgumentException("Optimizer parameter " + parameter + " is listed twice");
            }
            NdArrays.checkFloatingPoint(parameter.value(), "Optimizer parameter " + parameter);
        }
        this.parameters = new ArrayList<>(parameters);
    }

    List<Tensor> parameters() {
        return parameters;
    }

    int length(int index) {
        return Math.toIntExact(parameters.get(index).value().length());
    }

    void run(Rule rule) {
        for (int p = 0; p < parameters.size(); p++) {
            Tensor parameter = parameters.get(p);
            INDArray grad = parameter.grad();
            if (grad == null) {
                continue;
            }
            INDArray value = parameter.value();
            if (!NdArrays.isContiguous(value) || !NdArrays.isContiguous(grad)) {
                throw new IllegalStateException("Parameter " + parameter + " or its gradient is not contiguous in c order");
            }
            int length = Math.toIntExact(value.length());
            for (int start = 0; start < length; start += CHUNK) {
                int n = Math.min(CHUNK, length - start);
                NativeRows.read(value, start, values, 0, n);
                NativeRows.read(grad, start, grads, 0, n);
                rule.update(p, start, values, grads, n);
                NativeRows.write(value, start, values, 0, n);
            }
        }
    }

    void zeroGrad() {
        parameters.forEach(Tensor::zeroGrad);
    }

    static void checkRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Learning rate " + learningRate + " is invalid; use a finite value >= 0");
        }
    }
}
