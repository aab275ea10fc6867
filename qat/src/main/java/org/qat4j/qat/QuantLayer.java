package org.qat4j.qat;

import org.qat4j.autograd.Tensor;

/**
 * A layer whose weights are fake-quantized and whose output the integer engine computes as an int32
 * accumulator, {@code acc = bias_int + sum(W_int * (x_int - z_x))}. It gives export everything it needs:
 * the FP32 weight and bias (batch norm already folded in), the weight quantizer (per output channel
 * scales, {@code z_w = 0} for symmetric weights), the quantizer of its input and of its output, and
 * whether a ReLU sits between the layer and its output quantizer.
 */
public interface QuantLayer {

    /** Names the layer after its position in the FP32 model, such as {@code "4"}. */
    String name();

    /** Weight in PyTorch layout, output channel on axis 0. */
    Tensor weight();

    /** Bias {@code [out]}; never null (a layer without bias gets zeros). */
    Tensor bias();

    FakeQuantize weightQuantizer();

    /** Returns the quantizer that produced this layer's input (the network input quantizer for the first layer). */
    FakeQuantize inputQuantizer();

    /** Returns the quantizer of this layer's output, or null for the last layer, whose accumulators give the class. */
    FakeQuantize outputQuantizer();

    /** Returns true when a ReLU sits between this layer and its output quantizer (ReLU becomes a clamp). */
    boolean reluFused();

    /** Links the layer to its neighbouring quantizers; called once by {@link Prepare}. */
    void link(FakeQuantize input, FakeQuantize output, boolean reluFused);
}
