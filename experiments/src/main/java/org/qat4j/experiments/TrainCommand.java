package org.qat4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.qat4j.autograd.nn.Sequential;
import org.qat4j.datasets.DataSplit;
import org.qat4j.datasets.Mnist;
import org.qat4j.datasets.Normalization;
import org.qat4j.experiments.results.CurveRecord;
import org.qat4j.experiments.results.CurvesTable;
import org.qat4j.experiments.results.ResultsFolder;
import org.qat4j.experiments.results.RunRecord;
import org.qat4j.experiments.training.Checkpoints;
import org.qat4j.experiments.training.ModelKind;
import org.qat4j.experiments.training.Recipe;
import org.qat4j.experiments.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qat4j train}: trains a reference model in FP32 on MNIST. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model in FP32 on MNIST; writes curves.csv and a checkpoint to --out.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Model: mlp or cnn.")
    String model;

    @Mixin
    TrainingOptions training;

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results/train",
            description = "Folder for curves.csv and the checkpoint (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelKind kind = ModelKind.parse(model);
        Recipe recipe = training.recipe(Recipe.fp32Default(kind));
        int epochs = training.epochs(5);
        training.checkTrainImages();
        ResultsFolder folder = ResultsFolder.openForWriting(out);
        Mnist mnist = data.load();
        DataSplit train = training.trainSubset(mnist.train());

        Path checkpoint = Checkpoints.fp32(folder.dir(), kind, training.seed);
        java.nio.file.Files.createDirectories(checkpoint.getParent());
        Sequential network = kind.build(training.seed);
        String runId = kind.id() + "/fp32/seed" + training.seed;
        CurvesTable curves = CurvesTable.open(folder.dir());
        curves.removeRun(runId);

        int totalSteps = epochs * Trainer.stepsPerEpoch(train, recipe.batchSize());
        Trainer trainer = new Trainer(network, recipe.createOptimizer(network.parameters()),
                recipe.schedule(totalSteps), () -> { }, kind.id() + " fp32");
        var history = trainer.fit(train, mnist.test(), Normalization.MNIST, kind.layout(), recipe.batchSize(), 1,
                epochs, training.seed, stats -> curves.append(new CurveRecord(runId, kind.id(), RunRecord.FP32, 32, 32,
                        stats.epoch(), stats.trainLoss(), stats.trainAccuracy(), stats.testAccuracy(),
                        stats.learningRate(), stats.seconds())));

        network.save(checkpoint);
        var last = history.get(history.size() - 1);
        System.out.printf("%s FP32: test accuracy %.2f%% after %d epochs (%.0f images/s)%n", kind.id(),
                last.testAccuracy(), epochs, last.imagesPerSecond());
        System.out.println("Checkpoint: " + checkpoint);
        System.out.println("Curves:     " + curves.file());
        System.out.printf("Peak resident memory: %d MB%n", ProcessMemory.peakResidentBytes() >> 20);
        return 0;
    }
}
