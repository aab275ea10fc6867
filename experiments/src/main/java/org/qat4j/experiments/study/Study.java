package org.qat4j.experiments.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.qat4j.autograd.Tensor;
import org.qat4j.autograd.nn.Sequential;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Mnist;
import org.qat4j.datasets.Normalization;
import org.qat4j.experiments.PlotCommand;
import org.qat4j.experiments.results.CurveRecord;
import org.qat4j.experiments.results.CurvesTable;
import org.qat4j.experiments.results.ResultsFolder;
import org.qat4j.experiments.results.RunRecord;
import org.qat4j.experiments.results.RunsTable;
import org.qat4j.experiments.training.Checkpoints;
import org.qat4j.experiments.training.Evaluation;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.experiments.training.Quantization;
import org.qat4j.experiments.training.Recipe;
import org.qat4j.experiments.training.Trainer;
import org.qat4j.qat.QuantConfig;
import org.qat4j.qat.integer.Exporter;
import org.qat4j.qat.integer.IntegerEngine;
import org.qat4j.qat.integer.IntegerModel;
import org.qat4j.qat.integer.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accuracy-drop study: for each model and seed, an FP32 baseline, then PTQ and QAT at each bit
 * width, each quantized model exported to the integer engine, and an FP32 control trained for as
 * many extra epochs as QAT. Each finished run is appended to {@code runs.csv} at once; a rerun
 * skips finished runs and never rewrites their rows. A rerun must use the same epochs, training
 * images and calibration images, which {@link StudySettings} stores beside {@code runs.csv}.
 */
public final class Study {

    private static final Logger LOG = LoggerFactory.getLogger(Study.class);

    /** Called after each run is recorded; tests use it to stop the study between runs. */
    @FunctionalInterface
    public interface RunListener {
        void finished(RunRecord record);
    }

    private final StudyConfig config;
    private final Mnist mnist;
    private final RunListener listener;
    private final LayerAnalysis layerAnalysis = new LayerAnalysis();

    public Study(StudyConfig config, Mnist mnist, RunListener listener) {
        this.config = config;
        this.mnist = mnist;
        this.listener = listener == null ? record -> { } : listener;
    }

    /** Runs every missing run, then draws the plots and writes the report; returns the report path. */
    public Path run() throws IOException {
        long start = System.nanoTime();
        ResultsFolder folder = ResultsFolder.openForWriting(config.out());
        RunsTable runs = RunsTable.open(folder.dir());
        CurvesTable curves = CurvesTable.open(folder.dir());
        StudySettings.of(config).checkOrWrite(folder.dir());
        DataSplit train = config.trainImages() == null ? mnist.train() : mnist.train().subset(config.trainImages());
        DataSplit test = mnist.test();
        int total = plannedRuns();
        int done = (int) runs.records().size();
        LOG.info("Study in {}: {} runs planned, {} already finished", folder.dir(), total, done);

        for (ModelKind kind : config.models()) {
            for (long seed : config.seeds()) {
                if (!runs.isFinished(fp32RunId(kind, seed))) {
                    LOG.info("Run {}/{}: {} FP32 baseline seed {}", ++done, total, kind.id(), seed);
                }
                Sequential fp32 = fp32Baseline(folder, runs, curves, kind, seed, train, test);
                double fp32Accuracy = runs.find(fp32RunId(kind, seed)).orElseThrow().fp32Accuracy();
                if (seed == config.seeds().get(0)) {
                    layerAnalysis.writeIfMissing(folder.dir(), kind, fp32, config.models());
                }
                for (BitWidths bits : config.bitWidths()) {
                    for (StudyMethod method : config.methods()) {
                        if (!method.quantizes()) {
                            continue;
                        }
                        String runId = quantRunId(kind, method, bits, seed);
                        if (runs.isFinished(runId)) {
                            continue;
                        }
                        LOG.info("Run {}/{}: {} {} {} seed {}", ++done, total, kind.id(), method.id(), bits, seed);
                        RunRecord record = quantizedRun(folder, curves, kind, method, bits, seed, fp32, fp32Accuracy,
                                train, test, runId);
                        record(runs, record);
                    }
                }
                if (config.runs(StudyMethod.CONTROL) && !runs.isFinished(controlRunId(kind, seed))) {
                    LOG.info("Run {}/{}: {} FP32 control seed {}", ++done, total, kind.id(), seed);
                    record(runs, controlRun(folder, curves, kind, seed, train, test));
                }
            }
        }

        Duration wallClock = Duration.ofNanos(System.nanoTime() - start);
        Path report = PlotCommand.regenerate(folder.dir(), wallClock);
        LOG.info("Study finished in {} s: {}", wallClock.toSeconds(), report);
        return report;
    }

    /** Returns the number of runs the config describes, finished or not. */
    public int plannedRuns() {
        long quantizing = config.methods().stream().filter(StudyMethod::quantizes).count();
        int perSeed = 1 + (int) quantizing * config.bitWidths().size() + (config.runs(StudyMethod.CONTROL) ? 1 : 0);
        return config.models().size() * config.seeds().size() * perSeed;
    }

    private void record(RunsTable runs, RunRecord record) {
        runs.append(record);
        listener.finished(record);
    }

    static String fp32RunId(ModelKind kind, long seed) {
        return kind.id() + "/fp32/seed" + seed;
    }

    static String controlRunId(ModelKind kind, long seed) {
        return kind.id() + "/fp32-control/seed" + seed;
    }

    static String quantRunId(ModelKind kind, StudyMethod method, BitWidths bits, long seed) {
        return kind.id() + "/" + method.method() + "/" + method.range() + "/" + bits.id() + "/pc/seed" + seed;
    }

    /**
     * Returns the trained FP32 model: loaded from its checkpoint when the baseline run is finished,
     * otherwise trained (again, with the same seed) and recorded.
     */
    private Sequential fp32Baseline(ResultsFolder folder, RunsTable runs, CurvesTable curves, ModelKind kind, long seed,
            DataSplit train, DataSplit test) throws IOException {
        String runId = fp32RunId(kind, seed);
        Path checkpoint = Checkpoints.fp32(folder.dir(), kind, seed);
        Sequential model = kind.build(seed);
        if (runs.isFinished(runId) && Files.isRegularFile(checkpoint)) {
            model.load(checkpoint);
            return model;
        }
        boolean recorded = runs.isFinished(runId);
        if (!recorded) {
            curves.removeRun(runId);
        }
        Recipe recipe = Recipe.fp32Default(kind);
        int steps = config.fp32Epochs() * Trainer.stepsPerEpoch(train, recipe.batchSize());
        Trainer trainer = new Trainer(model, recipe.createOptimizer(model.parameters()), recipe.schedule(steps),
                () -> { }, kind.id() + " fp32 seed " + seed);
        long start = System.nanoTime();
        List<Trainer.EpochStats> history = trainer.fit(train, test, Normalization.MNIST, kind.layout(),
                recipe.batchSize(), 1, config.fp32Epochs(), seed, recorded ? null
                        : curveWriter(curves, runId, kind, RunRecord.FP32, 32, 32, 0));
        double seconds = (System.nanoTime() - start) / 1e9;
        model.save(checkpoint);
        if (!recorded) {
            double accuracy = history.get(history.size() - 1).testAccuracy();
            record(runs, new RunRecord(runId, kind.id(), RunRecord.FP32, "", 32, 32, "", seed, config.fp32Epochs(),
                    accuracy, null, null, null, fp32Bytes(model), seconds, ""));
        }
        return model;
    }

    private RunRecord quantizedRun(ResultsFolder folder, CurvesTable curves, ModelKind kind, StudyMethod method,
            BitWidths bits, long seed, Sequential fp32, double fp32Accuracy, DataSplit train, DataSplit test,
            String runId) throws IOException {
        long start = System.nanoTime();
        QuantConfig quantConfig = QuantConfig.defaults()
                .withBits(bits.weightBits(), bits.activationBits())
                .withPerChannel(true)
                .withRangeEstimator(method.estimator())
                .withLearning(method.learnScale(), false);
        Sequential quantized = Quantization.prepare(fp32, quantConfig);
        Quantization.calibrate(quantized, train, kind, config.calibrationImages(), seed);
        int epochs = 0;
        if (method == StudyMethod.QAT) {
            curves.removeRun(runId);
            Recipe recipe = Recipe.fineTuneDefault(kind);
            epochs = config.fineTuneEpochs();
            Quantization.fineTune(quantized, train, test, kind, recipe, epochs, seed, 1.0,
                    kind.id() + " qat " + bits + " seed " + seed,
                    curveWriter(curves, runId, kind, RunRecord.QAT, bits.weightBits(), bits.activationBits(), 0));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] fakeQuantPredictions = Evaluation.predict(quantized, test, Quantization.INPUT, kind.layout());
        double fakeQuantAccuracy = Evaluation.accuracy(fakeQuantPredictions, test.labels());

        IntegerResult integer = runInteger(folder, kind, method, bits, seed, quantized, test, fakeQuantPredictions);
        LOG.info("{} {} {}: FP32 {}%, fake-quant {}%, integer {}%, agreement {}%", kind.id(), method.id(), bits,
                format(fp32Accuracy), format(fakeQuantAccuracy), integer == null ? "-" : format(integer.accuracy()),
                integer == null ? "-" : format(integer.agreement()));
        return new RunRecord(runId, kind.id(), method.method(), method.range(), bits.weightBits(),
                bits.activationBits(), RunRecord.PER_CHANNEL, seed, epochs, fp32Accuracy, fakeQuantAccuracy,
                integer == null ? null : integer.accuracy(), integer == null ? null : integer.agreement(),
                integer == null ? 0 : integer.modelBytes(), seconds, integer == null ? "" : integer.file());
    }

    /** Accuracy and agreement of the exported integer model, and where its file is. */
    private record IntegerResult(double accuracy, double agreement, long modelBytes, String file) {
    }

    private IntegerResult runInteger(ResultsFolder folder, ModelKind kind, StudyMethod method, BitWidths bits,
            long seed, Sequential quantized, DataSplit test, int[] fakeQuantPredictions) throws IOException {
        IntegerModel integerModel;
        try {
            integerModel = Exporter.export(quantized, inputShape(kind));
        } catch (IllegalArgumentException e) {
            // NOTE: a model the integer engine cannot run exactly (for example an accumulator that
            // could overflow int32) keeps its fake-quant result and gets no integer columns.
            LOG.warn("{} {} {}: export to the integer engine failed: {}", kind.id(), method.id(), bits, e.getMessage());
            return null;
        }
        String relative = "models/" + String.format(Locale.ROOT, "%s-%s-%s-seed%d.q4j", kind.id(), method.id(),
                bits.id(), seed);
        Path file = folder.dir().resolve(relative);
        Files.createDirectories(file.getParent());
        ModelFile.write(integerModel, file);
        int[] integerPredictions;
        try (IntegerEngine engine = new IntegerEngine(integerModel)) {
            integerPredictions = engine.classify(test.pixels());
        }
        return new IntegerResult(Evaluation.accuracy(integerPredictions, test.labels()),
                Evaluation.agreement(integerPredictions, fakeQuantPredictions), Files.size(file), relative);
    }

    /** Trains the FP32 baseline further for as many epochs as QAT, with the fine-tuning recipe. */
    private RunRecord controlRun(ResultsFolder folder, CurvesTable curves, ModelKind kind, long seed, DataSplit train,
            DataSplit test) throws IOException {
        String runId = controlRunId(kind, seed);
        curves.removeRun(runId);
        Sequential model = kind.build(seed);
        model.load(Checkpoints.fp32(folder.dir(), kind, seed));
        Recipe recipe = Recipe.fineTuneDefault(kind);
        int epochs = config.fineTuneEpochs();
        int steps = epochs * Trainer.stepsPerEpoch(train, recipe.batchSize());
        Trainer trainer = new Trainer(model, recipe.createOptimizer(model.parameters()), recipe.schedule(steps),
                () -> { }, kind.id() + " fp32 control seed " + seed);
        long start = System.nanoTime();
        List<Trainer.EpochStats> history = trainer.fit(train, test, Normalization.MNIST, kind.layout(),
                recipe.batchSize(), 1, epochs, seed, curveWriter(curves, runId, kind, RunRecord.FP32_CONTROL, 32, 32, 0));
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = history.get(history.size() - 1).testAccuracy();
        return new RunRecord(runId, kind.id(), RunRecord.FP32_CONTROL, "", 32, 32, "", seed, epochs, accuracy, null,
                null, null, fp32Bytes(model), seconds, "");
    }

    private static Trainer.EpochListener curveWriter(CurvesTable curves, String runId, ModelKind kind, String method,
            int weightBits, int activationBits, int epochOffset) {
        return stats -> curves.append(new CurveRecord(runId, kind.id(), method, weightBits, activationBits,
                stats.epoch() + epochOffset, stats.trainLoss(), stats.trainAccuracy(), stats.testAccuracy(),
                stats.learningRate(), stats.seconds()));
    }

    /** Returns the shape of one input sample as the integer engine reads it: one 28 x 28 image. */
    static int[] inputShape(ModelKind kind) {
        return new int[] {1, 28, 28};
    }

    /** Returns the bytes of the model's FP32 parameters, 4 per value. */
    static long fp32Bytes(Sequential model) {
        long values = 0;
        for (Tensor parameter : model.parameters()) {
            values += parameter.value().length();
        }
        return 4 * values;
    }

    private static String format(double percent) {
        return String.format(Locale.ROOT, "%.2f", percent);
    }

    /** Returns the run ids of the config's quantized runs, for tests. */
    List<String> quantizedRunIds() {
        List<String> ids = new ArrayList<>();
        for (ModelKind kind : config.models()) {
            for (long seed : config.seeds()) {
                for (BitWidths bits : config.bitWidths()) {
                    for (StudyMethod method : config.methods()) {
                        if (method.quantizes()) {
                            ids.add(quantRunId(kind, method, bits, seed));
                        }
                    }
                }
            }
        }
        return ids;
    }
}
