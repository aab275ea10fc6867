package org.qat4j.experiments.training;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.qat4j.autograd.nn.Models;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.datasets.Layout;

/** The reference models the command line builds by name, with the input layout each expects. */
public enum ModelKind {
    /** LeNet-300-100: Linear(784,300)-ReLU-Linear(300,100)-ReLU-Linear(100,10), flat input. */
    MLP(Layout.FLAT),
    /** Two Conv-BN-ReLU-MaxPool blocks (16 and 32 channels) and Linear(1568,10), NCHW input. */
    CNN(Layout.NCHW);

    private final Layout layout;

    ModelKind(Layout layout) {
        this.layout = layout;
    }

    public Layout layout() {
        return layout;
    }

    /** Returns the lower-case name used on the command line and in results. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Builds a freshly initialised FP32 model from {@code seed}. */
    public Sequential build(long seed) {
        return Models.byName(id(), seed);
    }

    /** Parses a model name such as {@code mlp}; the error lists the valid names. */
    public static ModelKind parse(String name) {
        for (ModelKind kind : values()) {
            if (kind.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown model '" + name + "': use one of "
                + Arrays.stream(values()).map(ModelKind::id).collect(Collectors.joining(", ")));
    }
}
