package org.qat4j.qat;

import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Module;

/**
 * A quantizer module:
 * {@code x_out = s * (clamp(round(x / s) + z, qmin, qmax) - z)} (round half to even), per tensor or per
 * channel, with a range estimator (observer) that sets {@code s} and {@code z}.
 *
 * <p>Two switches, as in PyTorch's {@code FakeQuantize}:
 * <ul>
 *   <li>observer: when enabled and the module is in training mode, each forward pass feeds the input to
 *       the range estimator and the next fake-quantized forward uses the estimator's parameters. In
 *       evaluation mode, or with the observer disabled ({@link #freeze()}), scale and zero point do not
 *       change. A weight quantizer resets its estimator before each observation, so its range
 *       follows the current weights.</li>
 *   <li>fake quantization: when disabled the input passes through unchanged.</li>
 * </ul>
 *
 * <p>With {@code learnScale} the scale is a trainable parameter (LSQ, Esser et al. 2019) and with
 * {@code learnOffset} the zero point is one too (kept as a float and rounded in the forward pass, the
 * learnable offset of LSQ+, Bhalgat et al. 2020). Their gradients are scaled by
 * {@code g = 1 / sqrt(N * qmax)}, where {@code N} is the number of elements per scale, counted per
 * example for activations as in LSQ. The observer still initialises them; freeze it before training so
 * it does not overwrite the learned values. {@link #constrainParameters()} keeps {@code s >= }
 * {@link QuantParams#MIN_SCALE} and {@code z} on the grid after an optimizer step.
 *
 * <p>State saved with the module: {@code scale} and {@code zero_point} ({@code [channels]}, parameters
 * when learnable, else buffers) and the buffer {@code initialized} (1 once the parameters are set).
 */
public final class FakeQuantize extends Module {

    /** What the quantizer is applied to, which decides how observations and gradient scales work. */
    public enum Role {
        /** Weights: the range follows the current tensor, {@code N} counts all elements per channel. */
        WEIGHT,
        /** Activations with a batch axis 0: {@code N} counts the elements per example and channel. */
        ACTIVATION
    }

    private final String name;
    private final QuantSpec spec;
    private final Role role;
    private final RangeEstimator estimator;
    private final int channels;
    private final boolean learnScale;
    private final boolean learnOffset;
    private final Tensor scaleParameter;
    private final Tensor zeroPointParameter;
    private boolean observerEnabled;
    private boolean fakeQuantEnabled = true;
    private boolean paramsStale;

    /**
     * Creates a quantizer whose parameters come from {@code estimator}.
     *
     * @param name      names the quantized tensor in errors, such as {@code "3.weight"}
     * @param channels  number of scales: the size of the channel axis, or 1 per tensor
     */
    public FakeQuantize(String name, Role role, RangeEstimator estimator, int channels,
                        boolean learnScale, boolean learnOffset) {
        this(name, role, estimator.spec(), estimator, channels, learnScale, learnOffset);
    }

    private FakeQuantize(String name, Role role, QuantSpec spec, RangeEstimator estimator, int channels,
                         boolean learnScale, boolean learnOffset) {
        this.name = Objects.requireNonNull(name, "name");
        this.role = Objects.requireNonNull(role, "role");
        this.spec = spec;
        this.estimator = estimator;
        if (channels < 1 || (!spec.perChannel() && channels != 1)) {
            throw new IllegalArgumentException("Quantizer '" + name + "': " + channels + " channels is invalid; use 1"
                    + " per tensor or the size of axis " + spec.axis() + " per channel.");
        }
        if (learnOffset && spec.scheme() == QuantScheme.SYMMETRIC) {
            throw new IllegalArgumentException("Quantizer '" + name + "': a learnable offset needs the asymmetric"
                    + " scheme, because the symmetric scheme fixes z = 0.");
        }
        if (learnScale && spec.powerOfTwoScale()) {
            throw new IllegalArgumentException("Quantizer '" + name + "': a learned scale cannot stay a power of two;"
                    + " disable either learned scales or power-of-two scales.");
        }
        this.channels = channels;
        this.learnScale = learnScale;
        this.learnOffset = learnOffset;
        this.observerEnabled = estimator != null;

        INDArray scale = Nd4j.ones(DataType.FLOAT, channels);
        INDArray zeroPoint = Nd4j.zeros(DataType.FLOAT, channels);
        scaleParameter = learnScale ? registerParameter("scale", scale) : null;
        if (!learnScale) {
            registerBuffer("scale", scale);
        }
        zeroPointParameter = learnOffset ? registerParameter("zero_point", zeroPoint) : null;
        if (!learnOffset) {
            registerBuffer("zero_point", zeroPoint);
        }
        registerBuffer("initialized", Nd4j.zeros(DataType.FLOAT, 1));
    }

    /**
     * Creates a quantizer with fixed parameters and no observer, such as the input quantizer with
     * {@code s = 1/255}, {@code z = 0} on raw pixels scaled to [0, 1].
     */
    public static FakeQuantize fixed(String name, Role role, QuantSpec spec, QuantParams params) {
        FakeQuantize quantizer = new FakeQuantize(name, role, spec, null, params.channels(), false, false);
        quantizer.setParams(params);
        return quantizer;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (observerEnabled && isTraining()) {
            observe(x.value());
        }
        if (!fakeQuantEnabled) {
            return x;
        }
        updateStaleParams();
        if (!isInitialized()) {
            throw new IllegalStateException("Quantizer '" + name + "' has no scale yet: calibrate it first (observer"
                    + " enabled, training mode) or disable fake quantization.");
        }
        return FakeQuantOp.apply(x, scaleTensor(), zeroPointTensor(), spec.grid(), spec.axis(),
                gradScale(x.shape()), name);
    }

    private void observe(INDArray x) {
        try (NoGrad ignored = NoGrad.enter()) {
            if (role == Role.WEIGHT) {
                estimator.reset();
            }
            estimator.observe(x, name);
        }
        paramsStale = true;
    }

    private void updateStaleParams() {
        if (paramsStale) {
            setParams(estimator.params());
            paramsStale = false;
        }
    }

    /** Returns the LSQ gradient scale {@code 1 / sqrt(N * qmax)} for an input of this shape. */
    double gradScale(long[] shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        long perScale = length / channels;
        if (role == Role.ACTIVATION && shape.length > 1 && spec.axis() != 0) {
            perScale /= Math.max(1, shape[0]);
        }
        return FakeQuantOp.lsqGradScale(Math.max(1, perScale), spec.grid());
    }

    private Tensor scaleTensor() {
        return learnScale ? scaleParameter : Tensor.constant(buffer("scale"));
    }

    private Tensor zeroPointTensor() {
        if (spec.scheme() == QuantScheme.SYMMETRIC) {
            return null;
        }
        return learnOffset ? zeroPointParameter : Tensor.constant(buffer("zero_point"));
    }

    private INDArray scaleValue() {
        return learnScale ? scaleParameter.value() : buffer("scale");
    }

    private INDArray zeroPointValue() {
        return learnOffset ? zeroPointParameter.value() : buffer("zero_point");
    }

    /** Overwrites scale and zero point (in place, so optimizers keep their references). */
    public void setParams(QuantParams params) {
        if (params.channels() != channels || !params.grid().equals(spec.grid())) {
            throw new IllegalArgumentException("Quantizer '" + name + "' expects " + channels + " channels on "
                    + spec.grid() + ", got " + params);
        }
        INDArray scale = scaleValue();
        INDArray zeroPoint = zeroPointValue();
        for (int c = 0; c < channels; c++) {
            scale.putScalar(c, params.scale(c));
            zeroPoint.putScalar(c, params.zeroPoint(c));
        }
        buffer("initialized").assign(1);
    }

    /**
     * Returns the scale and zero point the forward pass uses: scales raised to at least
     * {@link QuantParams#MIN_SCALE} and rounded to float32, zero points rounded half to even and clamped
     * to the grid. Pending observations are applied first.
     */
    public QuantParams params() {
        updateStaleParams();
        if (!isInitialized()) {
            throw new IllegalStateException("Quantizer '" + name + "' has no parameters yet: calibrate it first.");
        }
        double[] s = FakeQuantOp.effectiveScales(scaleValue());
        double[] z = FakeQuantOp.effectiveZeroPoints(Tensor.constant(zeroPointValue()), channels, spec.grid());
        int[] zeroPoint = new int[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = (float) s[c];
            zeroPoint[c] = spec.scheme() == QuantScheme.SYMMETRIC ? 0 : (int) z[c];
        }
        return new QuantParams(spec.grid(), spec.axis(), s, zeroPoint);
    }

    /** Keeps learnable parameters valid after an optimizer step: {@code s >= MIN_SCALE}, {@code qmin <= z <= qmax}. */
    public void constrainParameters() {
        if (learnScale) {
            INDArray scale = scaleParameter.value();
            for (int c = 0; c < channels; c++) {
                double s = scale.getDouble(c);
                if (Double.isNaN(s) || !(s >= QuantParams.MIN_SCALE)) {
                    scale.putScalar(c, QuantParams.MIN_SCALE);
                }
            }
        }
        if (learnOffset) {
            INDArray zeroPoint = zeroPointParameter.value();
            for (int c = 0; c < channels; c++) {
                double z = zeroPoint.getDouble(c);
                zeroPoint.putScalar(c, Math.max(spec.grid().qmin(), Math.min(spec.grid().qmax(), z)));
            }
        }
    }

    /** Applies pending observations and disables the observer, so scale and zero point stay as they are. */
    public void freeze() {
        updateStaleParams();
        observerEnabled = false;
    }

    /** Enables or disables the observer; quantizers with fixed parameters have none and ignore this. */
    public void enableObserver(boolean enabled) {
        observerEnabled = enabled && estimator != null;
    }

    public void enableFakeQuant(boolean enabled) {
        fakeQuantEnabled = enabled;
    }

    /** Forgets the observed statistics; the current scale and zero point stay until the next observation. */
    public void resetObserver() {
        if (estimator != null) {
            estimator.reset();
        }
        paramsStale = false;
    }

    public boolean isObserverEnabled() {
        return observerEnabled;
    }

    public boolean isFakeQuantEnabled() {
        return fakeQuantEnabled;
    }

    public boolean isInitialized() {
        return buffer("initialized").getDouble(0) != 0;
    }

    public boolean hasObserver() {
        return estimator != null;
    }

    public String name() {
        return name;
    }

    public QuantSpec spec() {
        return spec;
    }

    public QuantGrid grid() {
        return spec.grid();
    }

    public Role role() {
        return role;
    }

    public int channels() {
        return channels;
    }

    public boolean learnScale() {
        return learnScale;
    }

    public boolean learnOffset() {
        return learnOffset;
    }

    /** Returns the trainable scale, or null when the scale is not learned. */
    public Tensor scaleParameter() {
        return scaleParameter;
    }

    /** Returns the trainable zero point, or null when it is not learned. */
    public Tensor zeroPointParameter() {
        return zeroPointParameter;
    }

    public RangeEstimator estimator() {
        return estimator;
    }

    @Override
    public String toString() {
        return "FakeQuantize(" + name + ", " + spec.grid() + ", " + spec.scheme().name().toLowerCase(java.util.Locale.ROOT)
                + (spec.perChannel() ? ", axis " + spec.axis() : ", per tensor")
                + (learnScale ? ", learned scale" : "") + (learnOffset ? ", learned offset" : "") + ")";
    }
}
