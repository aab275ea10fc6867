package org.qat4j.experiments.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@link LayerWeights} as {@code weights_histogram.csv}:
 * {@code model,layer,bits,kind,value} with {@code kind} either {@code weight} (one row per weight,
 * the float written exactly) or {@code level} (one row per grid level, increasing). The file is
 * replaced atomically.
 */
public final class LayerWeightsFile {

    public static final String FILE_NAME = "weights_histogram.csv";

    private static final String WEIGHT = "weight";
    private static final String LEVEL = "level";

    private static final Logger log = LoggerFactory.getLogger(LayerWeightsFile.class);

    private record Row(String model, String layer, int bits, String kind, double value, long line) {
    }

    private static final CsvSchema<Row> SCHEMA = new CsvSchema<>() {
        @Override
        public List<String> header() {
            return List.of("model", "layer", "bits", "kind", "value");
        }

        @Override
        public List<String> toCells(Row r) {
            String value = r.kind().equals(WEIGHT) ? Float.toString((float) r.value()) : Double.toString(r.value());
            return List.of(r.model(), r.layer(), Integer.toString(r.bits()), r.kind(), value);
        }

        @Override
        public Row fromRow(CsvRow row) {
            String kind = row.nonEmptyText("kind");
            if (!kind.equals(WEIGHT) && !kind.equals(LEVEL)) {
                throw row.fail("column kind: '" + kind + "' is neither weight nor level");
            }
            return new Row(row.nonEmptyText("model"), row.nonEmptyText("layer"), row.integer("bits"), kind,
                    row.number("value"), row.line());
        }

        @Override
        public String key(Row r) {
            // Weights repeat, so the line number keeps keys unique.
            return "line " + r.line();
        }
    };

    private LayerWeightsFile() {
    }

    /** Writes {@code weights_histogram.csv} into {@code folder}, replacing an earlier one. */
    public static void write(Path folder, LayerWeights layerWeights) throws IOException {
        StringBuilder text = new StringBuilder(CsvTable.formatLine(SCHEMA.header()));
        for (float weight : layerWeights.weights()) {
            text.append(CsvTable.formatLine(SCHEMA.toCells(new Row(layerWeights.model(), layerWeights.layer(),
                    layerWeights.bits(), WEIGHT, weight, 0))));
        }
        for (double level : layerWeights.gridLevels()) {
            text.append(CsvTable.formatLine(SCHEMA.toCells(new Row(layerWeights.model(), layerWeights.layer(),
                    layerWeights.bits(), LEVEL, level, 0))));
        }
        Path file = folder.resolve(FILE_NAME);
        AtomicFiles.writeString(file, text.toString());
        log.info("Wrote {} weights of {} {} to {}", layerWeights.weights().length, layerWeights.model(),
                layerWeights.layer(), file);
    }

    /** Reads {@code weights_histogram.csv} from {@code folder}; empty when it does not exist. */
    public static Optional<LayerWeights> read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<Row> rows = CsvTable.openExisting(file, SCHEMA).records();
        if (rows.isEmpty()) {
            throw new ResultsFileException(file + " has a header but no rows. Move it away or write it again.");
        }
        Row first = rows.get(0);
        List<Double> weights = new ArrayList<>();
        List<Double> levels = new ArrayList<>();
        for (Row row : rows) {
            if (!row.model().equals(first.model()) || !row.layer().equals(first.layer()) || row.bits() != first.bits()) {
                throw new ResultsFileException(CsvRow.describe(file, row.line(), "the row is for " + row.model() + " "
                        + row.layer() + " " + row.bits() + " bits, but the file starts with " + first.model() + " "
                        + first.layer() + " " + first.bits() + " bits; the file must describe one layer"));
            }
            (row.kind().equals(WEIGHT) ? weights : levels).add(row.value());
        }

        float[] weightArray = new float[weights.size()];
        for (int i = 0; i < weightArray.length; i++) {
            weightArray[i] = weights.get(i).floatValue();
        }
        double[] levelArray = levels.stream().mapToDouble(Double::doubleValue).toArray();
        try {
            return Optional.of(new LayerWeights(first.model(), first.layer(), first.bits(), weightArray, levelArray));
        } catch (IllegalArgumentException e) {
            throw new ResultsFileException(file + ": " + e.getMessage() + ". Move the file away or write it again.", e);
        }
    }
}
