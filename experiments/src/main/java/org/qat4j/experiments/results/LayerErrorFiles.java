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
 * Reads and writes a {@link LayerErrorCurve} as two CSV files in the results folder:
 * <ul>
 *   <li>{@code layer_error.csv}: {@code model,layer,bits,scale,clipping_mse,rounding_mse,total_mse},
 *       one row per scale, scales increasing;</li>
 *   <li>{@code layer_error_markers.csv}: {@code model,layer,bits,marker,scale}, one row per scale
 *       chosen by a range estimator (for example {@code min-max}, {@code MSE}).</li>
 * </ul>
 * All rows of both files describe the same layer. Both files are replaced atomically.
 */
public final class LayerErrorFiles {

    public static final String CURVE_FILE_NAME = "layer_error.csv";
    public static final String MARKERS_FILE_NAME = "layer_error_markers.csv";

    private static final Logger log = LoggerFactory.getLogger(LayerErrorFiles.class);

    private record PointRow(String model, String layer, int bits, LayerErrorCurve.ErrorPoint point) {
    }

    private record MarkerRow(String model, String layer, int bits, LayerErrorCurve.ScaleMarker marker) {
    }

    private static final CsvSchema<PointRow> POINTS = new CsvSchema<>() {
        @Override
        public List<String> header() {
            return List.of("model", "layer", "bits", "scale", "clipping_mse", "rounding_mse", "total_mse");
        }

        @Override
        public List<String> toCells(PointRow r) {
            return List.of(r.model(), r.layer(), Integer.toString(r.bits()), Double.toString(r.point().scale()),
                    Double.toString(r.point().clippingMse()), Double.toString(r.point().roundingMse()),
                    Double.toString(r.point().totalMse()));
        }

        @Override
        public PointRow fromRow(CsvRow row) {
            return new PointRow(row.nonEmptyText("model"), row.nonEmptyText("layer"), row.integer("bits"),
                    new LayerErrorCurve.ErrorPoint(row.number("scale"), row.number("clipping_mse"),
                            row.number("rounding_mse"), row.number("total_mse")));
        }

        @Override
        public String key(PointRow r) {
            return "scale " + r.point().scale();
        }
    };

    private static final CsvSchema<MarkerRow> MARKERS = new CsvSchema<>() {
        @Override
        public List<String> header() {
            return List.of("model", "layer", "bits", "marker", "scale");
        }

        @Override
        public List<String> toCells(MarkerRow r) {
            return List.of(r.model(), r.layer(), Integer.toString(r.bits()), r.marker().name(),
                    Double.toString(r.marker().scale()));
        }

        @Override
        public MarkerRow fromRow(CsvRow row) {
            return new MarkerRow(row.nonEmptyText("model"), row.nonEmptyText("layer"), row.integer("bits"),
                    new LayerErrorCurve.ScaleMarker(row.nonEmptyText("marker"), row.number("scale")));
        }

        @Override
        public String key(MarkerRow r) {
            return "marker " + r.marker().name();
        }
    };

    private LayerErrorFiles() {
    }

    /** Writes both files into {@code folder}, replacing earlier ones. */
    public static void write(Path folder, LayerErrorCurve curve) throws IOException {
        StringBuilder points = new StringBuilder(CsvTable.formatLine(POINTS.header()));
        for (LayerErrorCurve.ErrorPoint point : curve.points()) {
            points.append(CsvTable.formatLine(POINTS.toCells(new PointRow(curve.model(), curve.layer(), curve.bits(), point))));
        }
        StringBuilder markers = new StringBuilder(CsvTable.formatLine(MARKERS.header()));
        for (LayerErrorCurve.ScaleMarker marker : curve.markers()) {
            markers.append(CsvTable.formatLine(MARKERS.toCells(new MarkerRow(curve.model(), curve.layer(), curve.bits(), marker))));
        }
        AtomicFiles.writeString(folder.resolve(CURVE_FILE_NAME), points.toString());
        AtomicFiles.writeString(folder.resolve(MARKERS_FILE_NAME), markers.toString());
        log.info("Wrote the quantization error curve of {} {} ({} scales) to {}", curve.model(), curve.layer(),
                curve.points().size(), folder.resolve(CURVE_FILE_NAME));
    }

    /**
     * Reads the curve from {@code folder}; empty when {@code layer_error.csv} does not exist. A
     * missing markers file gives a curve without markers.
     */
    public static Optional<LayerErrorCurve> read(Path folder) {
        Path curveFile = folder.resolve(CURVE_FILE_NAME);
        if (!Files.exists(curveFile)) {
            return Optional.empty();
        }
        List<PointRow> pointRows = CsvTable.openExisting(curveFile, POINTS).records();
        if (pointRows.isEmpty()) {
            throw new ResultsFileException(curveFile + " has a header but no rows. Move it away or write it again.");
        }
        PointRow first = pointRows.get(0);
        List<LayerErrorCurve.ErrorPoint> points = new ArrayList<>();
        for (PointRow row : pointRows) {
            requireSameLayer(curveFile, first.model(), first.layer(), first.bits(), row.model(), row.layer(), row.bits());
            points.add(row.point());
        }

        List<LayerErrorCurve.ScaleMarker> markers = new ArrayList<>();
        Path markersFile = folder.resolve(MARKERS_FILE_NAME);
        if (Files.exists(markersFile)) {
            for (MarkerRow row : CsvTable.openExisting(markersFile, MARKERS).records()) {
                requireSameLayer(markersFile, first.model(), first.layer(), first.bits(), row.model(), row.layer(), row.bits());
                markers.add(row.marker());
            }
        } else {
            log.info("{} not found: the error curve is drawn without scale markers", markersFile);
        }
        try {
            return Optional.of(new LayerErrorCurve(first.model(), first.layer(), first.bits(), points, markers));
        } catch (IllegalArgumentException e) {
            throw new ResultsFileException(curveFile + ": " + e.getMessage() + ". Move the file away or write it again.", e);
        }
    }

    private static void requireSameLayer(Path file, String model, String layer, int bits, String otherModel,
            String otherLayer, int otherBits) {
        if (!model.equals(otherModel) || !layer.equals(otherLayer) || bits != otherBits) {
            throw new ResultsFileException(file + " mixes layers (" + model + " " + layer + " " + bits + " bits and "
                    + otherModel + " " + otherLayer + " " + otherBits + " bits); it must describe one layer. "
                    + "Move the file away or write it again.");
        }
    }
}
