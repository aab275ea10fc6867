package org.qat4j.qat;

/**
 * Mapping of a range {@code [min, max]} to a scale {@code s} and zero point {@code z}.
 *
 * <ul>
 *   <li>{@link #ASYMMETRIC} (uniform affine): the range is widened to include 0, then
 *       {@code s = (max - min) / (qmax - qmin)} and {@code z = qmin - round(min / s)}, an integer, so
 *       real zero is represented exactly.</li>
 *   <li>{@link #SYMMETRIC}: {@code z = 0}. On a signed grid {@code s} is the smallest scale that covers
 *       both ends, {@code max(max / qmax, min / qmin)}; on an unsigned grid, meant for non-negative
 *       tensors such as ReLU outputs, {@code s = max / qmax} and negative values clip to 0.</li>
 * </ul>
 */
public enum QuantScheme { ASYMMETRIC, SYMMETRIC }
