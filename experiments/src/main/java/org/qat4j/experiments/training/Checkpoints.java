package org.qat4j.experiments.training;

import java.nio.file.Path;

/** File names of checkpoints in a results folder. */
public final class Checkpoints {

    private Checkpoints() {
    }

    /** Returns the path of the FP32 checkpoint of {@code model} trained with {@code seed}. */
    public static Path fp32(Path folder, ModelKind model, long seed) {
        return folder.resolve("checkpoints").resolve(model.id() + "-fp32-seed" + seed + ".ckpt");
    }
}
