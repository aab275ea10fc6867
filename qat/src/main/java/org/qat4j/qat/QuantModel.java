package org.qat4j.qat;

import java.util.ArrayList;
import java.util.List;

import org.qat4j.autograd.nn.Module;

/**
 * Switches and look-ups over every quantizer and quantized layer inside a model built by
 * {@link Prepare} (any module tree works).
 */
public final class QuantModel {

    private QuantModel() {
    }

    /** Lists the quantizers in the order of a depth-first walk (the network order for a Sequential). */
    public static List<FakeQuantize> quantizers(Module model) {
        List<FakeQuantize> out = new ArrayList<>();
        collect(model, FakeQuantize.class, out);
        return out;
    }

    /** Lists the quantized layers in network order. */
    public static List<QuantLayer> layers(Module model) {
        List<QuantLayer> out = new ArrayList<>();
        collect(model, QuantLayer.class, out);
        return out;
    }

    private static <T> void collect(Module module, Class<T> type, List<T> out) {
        if (type.isInstance(module)) {
            out.add(type.cast(module));
        }
        for (Module child : module.namedChildren().values()) {
            collect(child, type, out);
        }
    }

    /** Enables or disables every observer (quantizers with fixed parameters have none). */
    public static void observe(Module model, boolean enabled) {
        quantizers(model).forEach(q -> q.enableObserver(enabled));
    }

    /** Enables or disables fake quantization everywhere; disabled, the model computes in FP32. */
    public static void fakeQuant(Module model, boolean enabled) {
        quantizers(model).forEach(q -> q.enableFakeQuant(enabled));
    }

    /** Applies pending observations and disables every observer, fixing all scales and zero points. */
    public static void freeze(Module model) {
        quantizers(model).forEach(FakeQuantize::freeze);
    }

    /** Keeps learned scales positive and learned zero points on their grids; call after each optimizer step. */
    public static void constrainParameters(Module model) {
        quantizers(model).forEach(FakeQuantize::constrainParameters);
    }

    /** Returns the quantizer called {@code name}, such as {@code "0.weight"}. */
    public static FakeQuantize quantizer(Module model, String name) {
        for (FakeQuantize q : quantizers(model)) {
            if (q.name().equals(name)) {
                return q;
            }
        }
        throw new IllegalArgumentException("No quantizer named '" + name + "'.");
    }
}
