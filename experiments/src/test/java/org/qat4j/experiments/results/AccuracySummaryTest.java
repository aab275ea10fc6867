package org.qat4j.experiments.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AccuracySummaryTest {

    @Test
    void ordersConfigsByWeightThenActivationBits() {
        List<AccuracySummary.ModelSummary> summaries = AccuracySummary.of(SampleResults.study("cnn"));

        assertEquals(List.of("W4A4", "W4A8", "W8A8"), summaries.get(0).configs());
    }

    @Test
    void ordersSeriesPtqMinMaxMseThenQat() {
        AccuracySummary.ModelSummary summary = AccuracySummary.of(SampleResults.study("cnn")).get(0);

        List<String> labels = summary.cells().keySet().stream().map(AccuracySummary.SeriesKey::label).toList();
        assertEquals(List.of("PTQ (min-max)", "PTQ (MSE)", "QAT (LSQ)"), labels);
    }

    @Test
    void averagesSeeds() {
        List<RunRecord> runs = new ArrayList<>();
        runs.add(new RunRecord("a/1", "mlp", "qat", "lsq", 4, 4, "per-channel", 1, 2, 98.0, 97.0, 96.5, 99.0, 1, 1.0, "m1"));
        runs.add(new RunRecord("a/2", "mlp", "qat", "lsq", 4, 4, "per-channel", 2, 2, 98.5, 96.0, null, null, 1, 1.0, ""));

        AccuracySummary.ModelSummary summary = AccuracySummary.of(runs).get(0);
        AccuracySummary.Cell cell = summary.cells().values().iterator().next().get("W4A4");

        assertEquals(96.5, cell.fakeQuantAccuracy());
        assertEquals(96.5, cell.integerAccuracy());
        assertEquals(99.0, cell.agreement());
        assertEquals(2, cell.runs());
        assertEquals(98.25, summary.fp32Accuracy());
        assertNull(summary.fp32ControlAccuracy());
    }

    @Test
    void keepsFp32AndControlApart() {
        AccuracySummary.ModelSummary summary = AccuracySummary.of(SampleResults.study("mlp")).get(0);

        assertEquals(98.5, summary.fp32Accuracy());
        assertEquals(98.625, summary.fp32ControlAccuracy());
    }

    @Test
    void labelsPerTensorSeries() {
        assertEquals("QAT (LSQ, per-tensor)", new AccuracySummary.SeriesKey("qat", "lsq", "per-tensor").label());
        assertEquals("PTQ (min-max)", new AccuracySummary.SeriesKey("ptq", "minmax", "per-channel").label());
    }
}
