package org.qat4j.autograd;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits the loops of the Java kernels (planes, channels, rows) over a few threads. The caller
 * runs the first part itself and waits for the others. The thread count comes from the
 * system property {@code qat4j.kernelThreads}, else the number of available processors.
 *
 * <p>A part must only write data no other part writes, and may use {@link Scratch} and
 * {@link NativeRows.Access} objects it creates itself (both are per thread).
 */
public final class Parallel {

    /** Loop body over the index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static final int THREADS = Math.max(1,
            Integer.getInteger("qat4j.kernelThreads", Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1) : null;

    private Parallel() {
    }

    /** Number of threads the kernels use. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, count)} in up to {@link #threads()} contiguous parts.
     * Loops with fewer than {@code minimumPerPart · 2} iterations run on the caller alone.
     */
    public static void forRange(int count, int minimumPerPart, RangeBody body) {
        int parts = Math.min(THREADS, count / Math.max(1, minimumPerPart));
        if (parts <= 1 || POOL == null) {
            body.run(0, count);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int start = (int) ((long) count * part / parts);
            int end = (int) ((long) count * (part + 1) / parts);
            tasks[part - 1] = POOL.submit(() -> body.run(start, end));
        }
        body.run(0, (int) ((long) count / parts));
        for (ForkJoinTask<?> task : tasks) {
            task.join();
        }
    }
}
