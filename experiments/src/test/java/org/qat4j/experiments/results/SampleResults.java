package org.qat4j.experiments.results;

import java.util.ArrayList;
import java.util.List;

/** Small synthetic results of a study, for tests of the tables, plots and report. */
public final class SampleResults {

    private SampleResults() {
    }

    public static RunRecord fp32(String model, double accuracy) {
        return new RunRecord(model + "/fp32/seed1", model, RunRecord.FP32, "", 32, 32, "", 1, 3, accuracy, null, null, null,
                400_000, 61.25, "");
    }

    public static RunRecord control(String model, double accuracy) {
        return new RunRecord(model + "/fp32-control/seed1", model, RunRecord.FP32_CONTROL, "", 32, 32, "", 1, 2, accuracy,
                null, null, null, 400_000, 40.5, "");
    }

    public static RunRecord quantized(String model, String method, String range, int weightBits, int activationBits,
            double fakeQuant, double integer) {
        String runId = String.format("%s/%s/%s/w%da%d/pc/seed1", model, method, range, weightBits, activationBits);
        return new RunRecord(runId, model, method, range, weightBits, activationBits, RunRecord.PER_CHANNEL, 1,
                method.equals(RunRecord.QAT) ? 2 : 0, 98.5, fakeQuant, integer, 99.25, 100_000L * weightBits / 8,
                12.5, "models/" + runId.replace('/', '_') + ".q4j");
    }

    /** FP32, control, PTQ min-max and MSE, and QAT at W8A8, W4A8 and W4A4 for one model. */
    public static List<RunRecord> study(String model) {
        List<RunRecord> runs = new ArrayList<>();
        runs.add(fp32(model, 98.5));
        runs.add(control(model, 98.625));
        int[][] bits = {{8, 8}, {4, 8}, {4, 4}};
        for (int[] widths : bits) {
            double drop = (8 - widths[0]) + (8 - widths[1]) * 0.5;
            runs.add(quantized(model, RunRecord.PTQ, "minmax", widths[0], widths[1], 98.25 - 4 * drop, 98.25 - 4 * drop));
            runs.add(quantized(model, RunRecord.PTQ, "mse", widths[0], widths[1], 98.25 - 2 * drop, 98.0 - 2 * drop));
            runs.add(quantized(model, RunRecord.QAT, "lsq", widths[0], widths[1], 98.5 - 0.25 * drop, 98.5 - 0.25 * drop));
        }
        return runs;
    }

    /** Two epochs of curves for every QAT run of {@link #study}. */
    public static List<CurveRecord> curves(String model) {
        List<CurveRecord> curves = new ArrayList<>();
        for (RunRecord run : study(model)) {
            if (run.method().equals(RunRecord.QAT)) {
                for (int epoch = 1; epoch <= 2; epoch++) {
                    curves.add(new CurveRecord(run.runId(), model, run.method(), run.weightBits(), run.activationBits(), epoch,
                            0.5 / epoch, 90.0 + epoch, 95.0 + epoch, 0.001 / epoch, 10.0 * epoch));
                }
            }
        }
        return curves;
    }
}
