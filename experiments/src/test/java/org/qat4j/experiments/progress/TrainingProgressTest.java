package org.qat4j.experiments.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    private long now;
    private final List<String> lines = new ArrayList<>();

    private TrainingProgress progress(int epochs, int batches) {
        return new TrainingProgress("cnn W4A4", epochs, batches, false, () -> now, Duration.ofSeconds(10), lines::add);
    }

    @Test
    void logsAtMostOncePerInterval() {
        TrainingProgress progress = progress(2, 100);
        progress.startEpoch(1);

        for (int batch = 0; batch < 25; batch++) {
            now += 1_000_000_000L;
            progress.batchDone(64, 0.5);
        }

        // Lines at 10 s and 20 s; 25 s of work does not reach 30 s.
        assertEquals(2, lines.size());
        assertEquals("cnn W4A4: epoch 1/2, batch 10/100, loss 0.5000, 64 images/s, about 3 min 10 s left", lines.get(0));
    }

    @Test
    void meanLossIsWeightedByImages() {
        TrainingProgress progress = progress(1, 3);
        progress.startEpoch(1);

        progress.batchDone(100, 1.0);
        progress.batchDone(100, 0.5);
        progress.batchDone(50, 0.25);

        assertEquals((100 * 1.0 + 100 * 0.5 + 50 * 0.25) / 250, progress.meanLoss());
    }

    @Test
    void timeLeftCountsRemainingEpochs() {
        TrainingProgress progress = progress(3, 10);
        progress.startEpoch(1);
        for (int batch = 0; batch < 10; batch++) {
            now += 500_000_000L;
            progress.batchDone(32, 0.1);
        }

        // 10 batches in 5 s; 20 batches left at 0.5 s each.
        assertEquals(10.0, progress.secondsLeft(), 1e-9);
    }

    @Test
    void endEpochLogsSummary() {
        TrainingProgress progress = progress(1, 2);
        progress.startEpoch(1);
        now += 2_000_000_000L;
        progress.batchDone(10, 0.25);
        progress.batchDone(10, 0.75);

        progress.endEpoch("test accuracy 97.50%");

        assertEquals(List.of("cnn W4A4: epoch 1/1 done in 2 s, loss 0.5000, test accuracy 97.50%"), lines);
    }

    @Test
    void epochOutOfRangeRejected() {
        TrainingProgress progress = progress(2, 2);

        assertThrows(IllegalArgumentException.class, () -> progress.startEpoch(3));
    }

    @Test
    void formatsDurations() {
        assertEquals("59 s", TrainingProgress.formatDuration(59.4));
        assertEquals("1 min 00 s", TrainingProgress.formatDuration(59.6));
        assertEquals("1 h 01 min", TrainingProgress.formatDuration(3690));
        assertEquals("unknown", TrainingProgress.formatDuration(Double.NaN));
    }
}
