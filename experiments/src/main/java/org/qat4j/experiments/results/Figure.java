package org.qat4j.experiments.results;

import java.util.Objects;

/**
 * A plot to embed in the report.
 *
 * @param caption one line saying what the plot shows
 * @param relativePath path of the image relative to the results folder, with forward slashes
 */
public record Figure(String caption, String relativePath) {
    public Figure {
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(relativePath, "relativePath");
    }
}
