package org.qat4j.autograd.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.F;
import org.qat4j.autograd.Tensor;

/** Fully connected layer {@code y = x · wᵀ + b}, {@code w[out,in]} He-initialized from a seed, {@code b} zero. */
public final class Linear extends Module {

    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int inFeatures, int outFeatures, long seed) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear(" + inFeatures + ", " + outFeatures
                    + "): feature counts must be at least 1");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Init.kaimingNormal(seed, inFeatures, outFeatures, inFeatures));
        this.bias = registerParameter("bias", Nd4j.zeros(DataType.FLOAT, outFeatures));
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(x, weight, bias);
    }

    /** Weight {@code [out, in]}. */
    public Tensor weight() {
        return weight;
    }

    /** Bias {@code [out]}. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public String toString() {
        return "Linear(" + inFeatures + ", " + outFeatures + ")";
    }
}
