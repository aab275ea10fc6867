package org.qat4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A node of the reverse-mode autograd graph: a value, its gradient, the tensors it was
 * computed from and the function that pushes its gradient back to them.
 *
 * <p>An op creates its result with {@link #fromOp}, passing a {@link Backward} closure that
 * receives {@code dL/dvalue} and calls {@link #accumulateGrad} on each parent that
 * {@link #requiresGrad()}. {@link #backward()} orders the graph topologically with an
 * explicit stack, so deep graphs do not overflow the Java call stack, and runs each
 * closure exactly once.
 *
 * <p>Memory: ops free what their closures saved once they have run, intermediate gradients
 * are recycled through {@link ArrayPool} as soon as they have been pushed to the parents, and
 * a graph can be backpropagated only once. A leaf keeps one gradient array and overwrites it
 * after each {@link #zeroGrad()}.
 */
public final class Tensor {

    /** Pushes the gradient of a result back to the inputs it was computed from. */
    @FunctionalInterface
    public interface Backward {
        /** Receives {@code dL/dresult}; the array must not be modified or kept. */
        void apply(INDArray gradOutput);
    }

    private static final Tensor[] NO_PARENTS = new Tensor[0];

    private INDArray value;
    private INDArray grad;
    /** A leaf's gradient array kept across {@link #zeroGrad()} so each step reuses it. */
    private INDArray gradBuffer;
    private boolean gradOwned;
    private boolean disposeAfterBackward;
    private boolean backwardDone;
    private final boolean requiresGrad;
    private final Tensor[] parents;
    private final Backward backward;
    private String name;

    private Tensor(INDArray value, boolean requiresGrad, Tensor[] parents, Backward backward) {
        if (value == null) {
            throw new IllegalArgumentException("Tensor value must not be null");
        }
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.parents = parents;
        this.backward = backward;
    }

    /** Creates a leaf that collects a gradient: a trainable parameter. */
    public static Tensor parameter(INDArray value) {
        return new Tensor(value, true, NO_PARENTS, null);
    }

    /** Creates a leaf without gradient: an input batch, a target, a buffer. */
    public static Tensor constant(INDArray value) {
        return new Tensor(value, false, NO_PARENTS, null);
    }

    /**
     * Creates the result of an op. The result records its parents and the backward closure only
     * when gradients are enabled ({@link NoGrad} not active) and at least one parent requires a
     * gradient; otherwise it is a constant and the graph is not kept.
     */
    public static Tensor fromOp(INDArray value, Backward backward, Tensor... parents) {
        if (!NoGrad.isGradEnabled()) {
            return constant(value);
        }
        for (Tensor parent : parents) {
            if (parent.requiresGrad) {
                return new Tensor(value, true, parents, backward);
            }
        }
        return constant(value);
    }

    public INDArray value() {
        return value;
    }

    /** Replaces the value of a leaf in place of its old array, for loading state. */
    public void setValue(INDArray newValue) {
        if (!isLeaf()) {
            throw new IllegalStateException("Only a leaf tensor can have its value replaced");
        }
        if (!Arrays.equals(newValue.shape(), value.shape())) {
            throw new IllegalArgumentException("Shape mismatch: tensor has " + Arrays.toString(value.shape())
                    + ", new value has " + Arrays.toString(newValue.shape()));
        }
        this.value = newValue;
    }

    /** Returns the accumulated gradient, or null before any backward pass reached this tensor. */
    public INDArray grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return backward == null;
    }

    public long[] shape() {
        return value.shape();
    }

    public String name() {
        return name;
    }

    public Tensor named(String newName) {
        this.name = newName;
        return this;
    }

    /** Returns the parents this tensor was computed from (empty for a leaf). */
    public List<Tensor> parents() {
        return Collections.unmodifiableList(Arrays.asList(parents));
    }

    /**
     * Adds {@code g} to this tensor's gradient. The first call stores a copy, later calls add in
     * place. Tensors that do not require a gradient ignore the call.
     */
    public void accumulateGrad(INDArray g) {
        if (!requiresGrad) {
            return;
        }
        checkGradShape(g);
        if (grad != null) {
            grad.addi(g);
        } else if (gradBuffer != null && gradBuffer.dataType() == g.dataType()) {
            grad = gradBuffer.assign(g);
        } else {
            grad = ArrayPool.take(g.dataType(), g.shape()).assign(g);
            gradOwned = true;
            if (isLeaf()) {
                gradBuffer = grad;
            }
        }
    }

    /**
     * Adds {@code g} to this tensor's gradient and takes ownership of {@code g}: the caller
     * must have created it for this call and must not use it afterwards. This saves the copy
     * that {@link #accumulateGrad} makes; {@code g} must be a c-order array that is not a view.
     */
    public void accumulateGradOwned(INDArray g) {
        if (!requiresGrad) {
            ArrayPool.give(g);
            return;
        }
        if (grad == null && gradBuffer == null && !g.isView() && g.ordering() == 'c') {
            checkGradShape(g);
            grad = g;
            gradOwned = true;
            if (isLeaf()) {
                gradBuffer = grad;
            }
            return;
        }
        accumulateGrad(g);
        ArrayPool.give(g);
    }

    private void checkGradShape(INDArray g) {
        if (!Arrays.equals(g.shape(), value.shape())) {
            throw new IllegalArgumentException("Gradient shape " + Arrays.toString(g.shape())
                    + " does not match value shape " + Arrays.toString(value.shape()));
        }
    }

    /**
     * Clears the gradient so the next backward pass starts from zero. A leaf keeps its gradient
     * array and overwrites it on the next backward pass, so an array returned by {@link #grad()}
     * before this call changes then; copy it to keep it.
     */
    public void zeroGrad() {
        grad = null;
    }

    /**
     * Marks this intermediate result so that {@link #backward()} hands its value to
     * {@link ArrayPool} for reuse once the backward pass is complete. Containers such as
     * {@code Sequential} mark the outputs of their children, which callers do not receive; the
     * value must not be read after that backward pass, because later steps overwrite it.
     */
    public Tensor disposeAfterBackward() {
        this.disposeAfterBackward = true;
        return this;
    }

    /** Backpropagates from a scalar tensor, seeding its gradient with 1. */
    public void backward() {
        if (value.length() != 1) {
            throw new IllegalStateException("backward() without a seed needs a scalar, but the shape is "
                    + Arrays.toString(value.shape()) + "; pass the seed gradient explicitly");
        }
        INDArray seed = Nd4j.onesLike(value);
        backward(seed);
        seed.close();
    }

    /** Backpropagates {@code seed = dL/dthis} through the graph that produced this tensor. */
    public void backward(INDArray seed) {
        if (!requiresGrad) {
            throw new IllegalStateException("This tensor does not require a gradient: no parameter contributed to it");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward() was already called on this graph; its saved"
                    + " arrays are freed. Run the forward pass again before another backward pass");
        }
        accumulateGrad(seed);
        List<Tensor> order = topologicalOrder();
        for (Tensor node : order) {
            if (node.backwardDone) {
                throw new IllegalStateException("The graph behind " + node + " was already"
                        + " backpropagated and its saved arrays are freed; run the forward pass again");
            }
        }
        for (Tensor node : order) {
            if (node.backward != null && node.grad != null) {
                node.backward.apply(node.grad);
                // Intermediate gradients are not needed once pushed to the parents.
                if (node.gradOwned) {
                    ArrayPool.give(node.grad);
                }
                node.grad = null;
                node.gradOwned = false;
            }
        }
        for (Tensor node : order) {
            if (!node.isLeaf()) {
                node.backwardDone = true;
                if (node.disposeAfterBackward && node != this) {
                    ArrayPool.give(node.value);
                }
            }
        }
    }

    /** Lists this tensor and its ancestors that require gradients, outputs before inputs. */
    private List<Tensor> topologicalOrder() {
        List<Tensor> postOrder = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Tensor, Integer> nextParent = new IdentityHashMap<>();
        Deque<Tensor> stack = new ArrayDeque<>();
        stack.push(this);
        visited.add(this);
        while (!stack.isEmpty()) {
            Tensor top = stack.peek();
            int index = nextParent.getOrDefault(top, 0);
            if (index < top.parents.length) {
                nextParent.put(top, index + 1);
                Tensor parent = top.parents[index];
                if (parent.requiresGrad && visited.add(parent)) {
                    stack.push(parent);
                }
            } else {
                stack.pop();
                postOrder.add(top);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }

    @Override
    public String toString() {
        return "Tensor" + (name == null ? "" : "(" + name + ")") + Arrays.toString(value.shape())
                + (requiresGrad ? " requiresGrad" : "");
    }
}
