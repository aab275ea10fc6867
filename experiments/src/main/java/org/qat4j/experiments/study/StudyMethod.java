package org.qat4j.experiments.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.qat4j.experiments.results.RunRecord;
import org.qat4j.qat.RangeEstimatorType;

/** The ways the study turns an FP32 model into a quantized one, plus the FP32 control. */
public enum StudyMethod {
    /** Post-training quantization with min-max ranges. */
    PTQ_MINMAX("ptq-minmax", RunRecord.PTQ, "minmax", RangeEstimatorType.MIN_MAX, false),
    /** Post-training quantization with MSE-optimal ranges. */
    PTQ_MSE("ptq-mse", RunRecord.PTQ, "mse", RangeEstimatorType.MSE, false),
    /** QAT with learned scales (LSQ), initialised by MSE ranges. */
    QAT("qat", RunRecord.QAT, "lsq", RangeEstimatorType.MSE, true),
    /** FP32 training for as many extra epochs as QAT, with the same schedule. */
    CONTROL("control", RunRecord.FP32_CONTROL, "", null, false);

    private final String id;
    private final String method;
    private final String range;
    private final RangeEstimatorType estimator;
    private final boolean learnScale;

    StudyMethod(String id, String method, String range, RangeEstimatorType estimator, boolean learnScale) {
        this.id = id;
        this.method = method;
        this.range = range;
        this.estimator = estimator;
        this.learnScale = learnScale;
    }

    public String id() {
        return id;
    }

    /** Returns the {@code method} column of runs.csv. */
    public String method() {
        return method;
    }

    /** Returns the {@code range} column of runs.csv. */
    public String range() {
        return range;
    }

    public RangeEstimatorType estimator() {
        return estimator;
    }

    public boolean learnScale() {
        return learnScale;
    }

    public boolean quantizes() {
        return this != CONTROL;
    }

    /**
     * Parses a comma-separated list; {@code ptq} stands for both PTQ methods. The result keeps the
     * order of this enum.
     */
    public static Set<StudyMethod> parseList(List<String> names) {
        Set<StudyMethod> chosen = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.equals("ptq")) {
                chosen.add(PTQ_MINMAX);
                chosen.add(PTQ_MSE);
                continue;
            }
            StudyMethod match = Arrays.stream(values()).filter(m -> m.id.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Method '" + raw + "' is unknown: use "
                            + Arrays.stream(values()).map(StudyMethod::id).collect(Collectors.joining(", "))
                            + " or ptq for both PTQ methods"));
            chosen.add(match);
        }
        List<StudyMethod> ordered = new ArrayList<>(chosen);
        ordered.sort(null);
        return new LinkedHashSet<>(ordered);
    }
}
