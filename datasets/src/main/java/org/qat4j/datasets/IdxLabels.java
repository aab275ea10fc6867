package org.qat4j.datasets;

/**
 * Labels read from an IDX file, one unsigned byte per item.
 *
 * @param source file name the labels came from, used in error messages
 */
public record IdxLabels(String source, byte[] labels) {

    public int count() {
        return labels.length;
    }
}
