/**
 * Reverse-mode automatic differentiation over ND4J arrays: {@link org.qat4j.autograd.Tensor}
 * (value, gradient, backward closure), the functional ops in {@link org.qat4j.autograd.F}, the
 * layers in {@code nn} and the optimizers in {@code optim}.
 *
 * <p>Speed. Matrix products go to OpenBLAS through {@code Nd4j.gemm} with transpose flags;
 * convolution is a Java im2col followed by one GEMM. ReLU, batch norm, pooling, the fused
 * softmax cross-entropy and the optimizers are plain Java loops over the native buffers
 * ({@link org.qat4j.autograd.NativeRows}), most of them split over threads by
 * {@link org.qat4j.autograd.Parallel}. The broadcasting element-wise ops use ND4J's ops. {@link org.qat4j.autograd.Backend#init()} runs a warm-up
 * GEMM once per process.
 *
 * <p>Memory. Native arrays are freed by ND4J only when closed or garbage collected, so a
 * training step recycles them through {@link org.qat4j.autograd.ArrayPool}: op temporaries at
 * the end of the op, intermediate gradients during the backward pass, and the outputs that a
 * {@link org.qat4j.autograd.nn.Sequential} passes between its children after the backward
 * pass. Values that a caller receives (the output of a model, a loss) are never recycled.
 *
 * <p>System properties: {@code qat4j.blasThreads} (OpenBLAS threads, default 1) and
 * {@code qat4j.kernelThreads} (threads of the Java kernels, default: available processors).
 */
package org.qat4j.autograd;
