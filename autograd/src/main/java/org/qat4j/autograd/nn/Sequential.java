package org.qat4j.autograd.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.ArrayPool;
import org.qat4j.autograd.NdArrays;
import org.qat4j.autograd.NoGrad;
import org.qat4j.autograd.Tensor;

/**
 * Modules applied one after the other; child {@code i} is named {@code "i"}, so parameters are
 * named {@code 0.weight}, {@code 1.bias} and so on.
 *
 * <p>The outputs passed from one child to the next are handed to {@link ArrayPool} for reuse:
 * at once when no graph is recorded, or at the end of the backward pass through them
 * otherwise. Code that reaches such an intermediate tensor (through {@code parents()}) must
 * copy its value before then. Arrays that share memory with the input or the returned output
 * are never handed back.
 */
public final class Sequential extends Module {

    private final List<Module> modules = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module module : modules) {
            add(module);
        }
    }

    /** Appends a module, named by its position. */
    public Sequential add(Module module) {
        if (module == null) {
            throw new IllegalArgumentException("Sequential: module " + modules.size() + " is null");
        }
        registerModule(Integer.toString(modules.size()), module);
        modules.add(module);
        return this;
    }

    public int size() {
        return modules.size();
    }

    public Module get(int index) {
        if (index < 0 || index >= modules.size()) {
            throw new IndexOutOfBoundsException("Module index " + index + " is out of range for " + modules.size()
                    + " modules");
        }
        return modules.get(index);
    }

    /** Returns the children in order (unmodifiable). */
    public List<Module> modules() {
        return Collections.unmodifiableList(modules);
    }

    @Override
    public Tensor forward(Tensor x) {
        boolean recording = NoGrad.isGradEnabled();
        List<Tensor> intermediates = new ArrayList<>();
        List<INDArray> pending = new ArrayList<>();
        Tensor current = x;
        for (Module module : modules) {
            Tensor next = module.forward(current);
            if (current != x) {
                if (recording && current.requiresGrad()) {
                    intermediates.add(current);
                } else if (!recording) {
                    pending.add(current.value());
                }
            }
            current = next;
            for (Iterator<INDArray> it = pending.iterator(); it.hasNext();) {
                INDArray value = it.next();
                if (value.wasClosed()) {
                    it.remove();
                } else if (!NdArrays.sharesMemory(value, current.value()) && !NdArrays.sharesMemory(value, x.value())) {
                    ArrayPool.give(value);
                    it.remove();
                }
            }
        }
        for (Tensor intermediate : intermediates) {
            INDArray value = intermediate.value();
            if (!intermediate.isLeaf() && !NdArrays.sharesMemory(value, current.value())
                    && !NdArrays.sharesMemory(value, x.value())) {
                intermediate.disposeAfterBackward();
            }
        }
        return current;
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "Sequential(", ")");
        modules.forEach(module -> joiner.add(module.toString()));
        return joiner.toString();
    }
}
