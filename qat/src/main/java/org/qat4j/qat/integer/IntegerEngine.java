package org.qat4j.qat.integer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link IntegerModel} on raw input bytes (for MNIST, {@code N * 784} pixel bytes) and
 * returns classes, with integer arithmetic only from the bytes to the class. Samples are
 * processed in batches, which a fixed pool of threads shares out. Each thread has its own
 * buffers, so threads never share intermediate data.
 *
 * <p>The class is the argmax of the last layer's class scores (its int32 accumulators weighted by
 * the relative per-channel weight scale, see {@link IntegerWeightedLayer#score}); ties go to the
 * lowest index.
 */
public final class IntegerEngine implements AutoCloseable {

    /** Batch size used by {@link #IntegerEngine(IntegerModel)}. */
    public static final int DEFAULT_BATCH_SIZE = 256;

    /** Thread count used by {@link #IntegerEngine(IntegerModel)}. */
    public static final int DEFAULT_THREADS = 2;

    private static final Logger log = LoggerFactory.getLogger(IntegerEngine.class);

    private final IntegerModel model;
    private final int batchSize;
    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<BatchBuffers> buffers;

    /** Creates an engine with batches of 256 samples on 2 threads. */
    public IntegerEngine(IntegerModel model) {
        this(model, DEFAULT_BATCH_SIZE, DEFAULT_THREADS);
    }

    public IntegerEngine(IntegerModel model, int batchSize, int threads) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("Batch size " + batchSize + " is invalid: it must be at least 1.");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("Thread count " + threads + " is invalid: it must be at least 1.");
        }
        this.model = model;
        this.batchSize = batchSize;
        this.threads = threads;
        this.buffers = ThreadLocal.withInitial(BatchBuffers::new);
        if (threads > 1) {
            AtomicInteger counter = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads, task -> {
                Thread thread = new Thread(task, "qat4j-integer-engine-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        } else {
            this.pool = null;
        }
    }

    /** The model this engine runs. */
    public IntegerModel model() {
        return model;
    }

    /** Returns the class of each sample in {@code inputs} ({@code n * inputSize()} bytes). */
    public int[] classify(byte[] inputs) {
        int n = sampleCount(inputs);
        int classes = model.classCount();
        IntegerWeightedLayer last = (IntegerWeightedLayer) model.layers().get(model.layers().size() - 1);
        int[] predictions = new int[n];
        runBatches(n, (start, count, batch) -> {
            int[] logits = batch.run(model, inputs, start, count, null, 0);
            for (int s = 0; s < count; s++) {
                predictions[start + s] = predictClass(last, logits, s * classes);
            }
        });
        return predictions;
    }

    /** Returns the channel with the highest class score of the accumulators at {@code offset}; the lowest on ties. */
    static int predictClass(IntegerWeightedLayer last, int[] accumulators, int offset) {
        int best = 0;
        long bestScore = last.score(0, accumulators[offset]);
        for (int c = 1; c < last.outChannels(); c++) {
            long score = last.score(c, accumulators[offset + c]);
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }

    /** Returns the last layer's int32 accumulators, {@code n * classCount()} values. */
    public int[] accumulators(byte[] inputs) {
        int n = sampleCount(inputs);
        int classes = model.classCount();
        int[] result = new int[n * classes];
        runBatches(n, (start, count, batch) -> {
            int[] logits = batch.run(model, inputs, start, count, null, 0);
            System.arraycopy(logits, 0, result, start * classes, count * classes);
        });
        return result;
    }

    /**
     * Returns every layer's output for all samples: element {@code i} holds {@code n * outputSize()}
     * values of layer {@code i}, unsigned bytes widened to int or, for the last layer, accumulators.
     */
    public List<int[]> layerOutputs(byte[] inputs) {
        int n = sampleCount(inputs);
        List<int[]> outputs = new ArrayList<>();
        for (IntegerLayer layer : model.layers()) {
            outputs.add(new int[n * layer.outputSize()]);
        }
        runBatches(n, (start, count, batch) -> batch.run(model, inputs, start, count, outputs, start));
        return outputs;
    }

    private int sampleCount(byte[] inputs) {
        int inputSize = model.inputSize();
        if (inputs.length % inputSize != 0) {
            throw new IllegalArgumentException("Input length " + inputs.length + " is not a multiple of the sample size "
                    + inputSize + " (shape " + java.util.Arrays.toString(model.inputShape()) + ").");
        }
        int qmax = model.input().qmax();
        if (qmax < 255) {
            for (int i = 0; i < inputs.length; i++) {
                if ((inputs[i] & 0xFF) > qmax) {
                    throw new IllegalArgumentException("Input value " + (inputs[i] & 0xFF) + " at index " + i
                            + " is outside the " + model.input().bitWidth() + "-bit input grid [0, " + qmax + "].");
                }
            }
        }
        return inputs.length / inputSize;
    }

    @FunctionalInterface
    private interface BatchTask {
        void run(int start, int count, BatchBuffers batch);
    }

    private void runBatches(int n, BatchTask task) {
        if (pool == null || n <= batchSize) {
            for (int start = 0; start < n; start += batchSize) {
                task.run(start, Math.min(batchSize, n - start), buffers.get());
            }
            return;
        }

        List<Future<?>> futures = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            int batchStart = start;
            int count = Math.min(batchSize, n - start);
            futures.add(pool.submit(() -> task.run(batchStart, count, buffers.get())));
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new IllegalStateException("Interrupted while waiting for an integer inference batch.", e);
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("Integer inference batch failed.", cause);
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            log.debug("Integer engine stopped its {} threads", threads);
        }
    }

    /** Activation and accumulator buffers of one thread, reused across batches. */
    private static final class BatchBuffers {
        private final Workspace workspace = new Workspace();
        private byte[] current = new byte[0];
        private byte[] next = new byte[0];
        private int[] logits = new int[0];

        /**
         * Runs all layers on {@code count} samples starting at {@code start}; copies each layer's
         * output into {@code record} at sample {@code recordStart} when {@code record} is not null.
         * Returns the last layer's accumulators (valid until the next call).
         */
        int[] run(IntegerModel model, byte[] inputs, int start, int count, List<int[]> record, int recordStart) {
            int inputSize = model.inputSize();
            current = ensure(current, count * inputSize);
            System.arraycopy(inputs, start * inputSize, current, 0, count * inputSize);

            List<IntegerLayer> layers = model.layers();
            for (int i = 0; i < layers.size(); i++) {
                IntegerLayer layer = layers.get(i);
                int outputSize = layer.outputSize();
                if (layer.producesAccumulators()) {
                    if (logits.length < count * outputSize) {
                        logits = new int[count * outputSize];
                    }
                    ((IntegerWeightedLayer) layer).accumulate(current, count, logits, workspace);
                    if (record != null) {
                        System.arraycopy(logits, 0, record.get(i), recordStart * outputSize, count * outputSize);
                    }
                } else {
                    next = ensure(next, count * outputSize);
                    layer.forward(current, count, next, workspace);
                    if (record != null) {
                        int[] target = record.get(i);
                        int offset = recordStart * outputSize;
                        for (int j = 0; j < count * outputSize; j++) {
                            target[offset + j] = next[j] & 0xFF;
                        }
                    }
                    byte[] swap = current;
                    current = next;
                    next = swap;
                }
            }
            return logits;
        }

        private static byte[] ensure(byte[] buffer, int size) {
            return buffer.length < size ? new byte[size] : buffer;
        }
    }
}
