package org.qat4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference gradient check in double precision. The output {@code y} of the function
 * under test is reduced to {@code L = Σ y · r} with fixed random weights {@code r}, so every
 * output element matters. The analytic gradient comes from {@code y.backward(r)}; the numeric
 * one from central differences {@code (L(x + h) - L(x - h)) / 2h} for every element of every
 * input.
 */
public final class GradCheck {

    public static final double STEP = 1e-6;
    public static final double TOLERANCE = 1e-6;

    private GradCheck() {
    }

    /** Returns a DOUBLE array of {@code shape} with values uniform in [-1, 1). */
    public static INDArray random(long seed, long... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray array = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < array.length(); i++) {
            array.putScalar(i, random.nextDouble(-1, 1));
        }
        return array;
    }

    /**
     * Checks the gradient of {@code function} with respect to each tensor in {@code inputs}
     * (leaves created with {@link Tensor#parameter}, DOUBLE values), failing with the input,
     * the element and both values when the relative error {@code |a - n| / max(|a| + |n|, 1e-8)}
     * or the error of the whole gradient exceeds the tolerance.
     */
    public static void check(Supplier<Tensor> function, List<Tensor> inputs) {
        check(function, inputs, TOLERANCE);
    }

    public static void check(Supplier<Tensor> function, List<Tensor> inputs, double tolerance) {
        for (Tensor input : inputs) {
            assertEquals(DataType.DOUBLE, input.value().dataType(), "gradient checks run in DOUBLE");
            input.zeroGrad();
        }
        Tensor output = function.get();
        INDArray weights = random(0x5EEDL, output.shape());
        if (output.value().rank() == 0) {
            weights = Nd4j.scalar(DataType.DOUBLE, 0.75);
        }
        output.backward(weights);

        for (int t = 0; t < inputs.size(); t++) {
            Tensor input = inputs.get(t);
            INDArray analytic = input.grad();
            assertNotNull(analytic, "input " + t + " received no gradient");
            analytic = analytic.dup();
            INDArray value = input.value();
            double errorNorm = 0;
            double sumNorm = 0;
            for (long i = 0; i < value.length(); i++) {
                double original = value.getDouble(i);
                value.putScalar(i, original + STEP);
                double plus = weightedSum(function, weights);
                value.putScalar(i, original - STEP);
                double minus = weightedSum(function, weights);
                value.putScalar(i, original);
                double numeric = (plus - minus) / (2 * STEP);
                double a = analytic.getDouble(i);
                double error = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), 1e-8);
                // Elements whose gradient is tiny in absolute terms compare by absolute error.
                boolean ok = error < tolerance || Math.abs(a - numeric) < tolerance * 1e-2;
                assertTrue(ok, "input " + t + " element " + i + ": analytic " + a + ", numeric " + numeric
                        + ", relative error " + error);
                errorNorm += (a - numeric) * (a - numeric);
                sumNorm += (Math.abs(a) + Math.abs(numeric)) * (Math.abs(a) + Math.abs(numeric));
            }
            // A gradient that is zero up to rounding (a bias followed by batch norm) has no relative error.
            if (Math.sqrt(sumNorm) > 1e-7) {
                double relative = Math.sqrt(errorNorm / sumNorm);
                assertTrue(relative < tolerance, "input " + t + ": relative error of the whole gradient " + relative);
            }
        }
    }

    private static double weightedSum(Supplier<Tensor> function, INDArray weights) {
        try (NoGrad ignored = NoGrad.enter()) {
            INDArray y = function.get().value();
            return y.castTo(DataType.DOUBLE).mul(weights.reshape(y.shape())).sumNumber().doubleValue();
        }
    }
}
