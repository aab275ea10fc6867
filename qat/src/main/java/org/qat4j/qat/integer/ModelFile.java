package org.qat4j.qat.integer;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes an {@link IntegerModel} as a {@code .q4j} file (format version 2). Multi-byte
 * numbers are big-endian.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "Q4JM"
 * 4       4     format version (int32, 2); every version keeps magic and version at these offsets
 * 8       4     body length L (int32)
 * 12      L     body: header, then blobs
 * 12 + L  4     CRC-32 of bytes [0, 12 + L)
 * </pre>
 *
 * Field types in the body: {@code u8} is an unsigned byte; {@code varint} is a non-negative int32 as
 * unsigned LEB128 (7 bits per byte, low group first, 1 to 5 bytes, shortest form only);
 * {@code f32} is an IEEE 754 binary32; {@code i32} is a two's-complement int32. A quantization
 * {@code q} is {@code u8} bit width, {@code u8} zero point and {@code f32} scale.
 *
 * <pre>
 * header  input shape (u8 rank 1..8, varint per dimension), input q, varint layer count (1..10000),
 *         then per layer: u8 type, varint name length (1..65535) and UTF-8 name, then
 *   linear       varint inFeatures, outFeatures; weighted part
 *   conv2d       varint inChannels, inHeight, inWidth, outChannels, kernelSize, stride, padding; weighted part
 *   max pool 2d  varint channels, inHeight, inWidth, kernelSize, stride
 *   flatten      input shape as above
 * weighted part  u8 weight bit width, input q, f32 weight scale s_w[c] per output channel,
 *         u8 requantizer flag (0 or 1); if 1: output q, u8 qmin, u8 qmax, u8 ReLU flag (0 or 1),
 *         then per output channel i32 M0 and u8 shift k (0..62)
 * blobs   per weighted layer in order: the weights (int8 bytes, or two 4-bit values per byte, low
 *         nibble first, for widths of 4 bits or less), then i32 bias per output channel
 * </pre>
 *
 * <p>Scales are stored as float32, the precision the quantizers compute them in, and a write
 * rejects a scale that float32 cannot represent exactly. The real multiplier
 * {@code M = s_w[c] * s_x / s_y} is not stored. Loading recomputes it from the stored scales with
 * {@link FixedPointMultiplier#forScales}, which evaluates the same expression as the exporter, so
 * it is bit-identical. Loading rejects a file whose stored {@code M0} or {@code k} differ from the
 * ones it gives, and writing rejects a model whose multipliers differ from that result, so the
 * loaded model equals the written one field by field. Scales are otherwise metadata for
 * inspection, except the last layer's weight scales, which set its class-score multipliers (see
 * {@link IntegerWeightedLayer#score}).
 *
 * <p>Writing goes to a temporary file in the target directory, which is then renamed, so a crash
 * never leaves a half-written model. Reading checks the length, magic number, version and
 * checksum before parsing, and the layers validate their contents, so nothing half-loaded escapes.
 */
public final class ModelFile {

    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 2;

    private static final byte[] MAGIC = {'Q', '4', 'J', 'M'};
    private static final int PREFIX_BYTES = 12;
    private static final int CHECKSUM_BYTES = 4;
    private static final int MAX_RANK = 8;
    private static final int MAX_LAYERS = 10_000;
    private static final int MAX_NAME_BYTES = 0xFFFF;

    private static final byte TYPE_LINEAR = 1;
    private static final byte TYPE_CONV2D = 2;
    private static final byte TYPE_MAX_POOL2D = 3;
    private static final byte TYPE_FLATTEN = 4;

    private static final Logger log = LoggerFactory.getLogger(ModelFile.class);

    private ModelFile() {
    }

    /**
     * Writes {@code model} to {@code path}: the bytes go to a temporary file in the same directory,
     * which is flushed to disk and then renamed over {@code path} in one atomic step.
     */
    public static void write(IntegerModel model, Path path) throws IOException {
        byte[] bytes = encode(model);
        Path target = path.toAbsolutePath();
        Path directory = target.getParent();
        Files.createDirectories(directory);
        Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                log.warn("Atomic rename is not supported for {}; replacing the file non-atomically", target);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        log.info("Wrote integer model {} ({} bytes, {} layers)", target, bytes.length, model.layers().size());
    }

    /** Reads and verifies a model file; see the class description for the checks. */
    public static IntegerModel read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        IntegerModel model = decode(bytes, path.toString());
        log.info("Read integer model {} ({} bytes, {} layers)", path, bytes.length, model.layers().size());
        return model;
    }

    /** Returns the size in bytes of {@code model}'s file. */
    public static long sizeBytes(IntegerModel model) {
        return encode(model).length;
    }

    /**
     * Encodes {@code model} in the file format.
     *
     * @throws IllegalArgumentException if the model contains a value the format cannot store exactly: a
     *     scale that is not a float32 value, a multiplier that differs from the one its scales give,
     *     or a layer name longer than 65535 UTF-8 bytes
     */
    public static byte[] encode(IntegerModel model) {
        try {
            ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();
            DataOutputStream body = new DataOutputStream(bodyBytes);
            writeHeader(model, body);
            writeBlobs(model, body);
            body.flush();
            if (bodyBytes.size() > Integer.MAX_VALUE - PREFIX_BYTES - CHECKSUM_BYTES) {
                throw new IllegalArgumentException("The model needs " + bodyBytes.size() + " bytes, more than the "
                        + "2^31 - 17 a model file can contain; use fewer or smaller layers.");
            }

            ByteArrayOutputStream fileBytes = new ByteArrayOutputStream(PREFIX_BYTES + bodyBytes.size() + CHECKSUM_BYTES);
            DataOutputStream file = new DataOutputStream(fileBytes);
            file.write(MAGIC);
            file.writeInt(FORMAT_VERSION);
            file.writeInt(bodyBytes.size());
            bodyBytes.writeTo(file);
            file.flush();
            CRC32 crc = new CRC32();
            crc.update(fileBytes.toByteArray());
            file.writeInt((int) crc.getValue());
            file.flush();
            return fileBytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("Writing to an in-memory stream failed", e);
        }
    }

    private static void writeHeader(IntegerModel model, DataOutputStream out) throws IOException {
        writeShape(out, model.inputShape());
        writeActivation(out, model.input(), "input");
        writeVarint(out, model.layers().size());
        for (IntegerLayer layer : model.layers()) {
            if (layer instanceof IntegerLinear linear) {
                out.writeByte(TYPE_LINEAR);
                writeName(out, layer.name());
                writeVarint(out, linear.inFeatures());
                writeVarint(out, linear.outFeatures());
                writeWeightedHeader(out, linear);
            } else if (layer instanceof IntegerConv2d conv) {
                out.writeByte(TYPE_CONV2D);
                writeName(out, layer.name());
                writeVarint(out, conv.inChannels());
                writeVarint(out, conv.inHeight());
                writeVarint(out, conv.inWidth());
                writeVarint(out, conv.outChannels());
                writeVarint(out, conv.kernelSize());
                writeVarint(out, conv.stride());
                writeVarint(out, conv.padding());
                writeWeightedHeader(out, conv);
            } else if (layer instanceof IntegerMaxPool2d pool) {
                out.writeByte(TYPE_MAX_POOL2D);
                writeName(out, layer.name());
                writeVarint(out, pool.channels());
                writeVarint(out, pool.inHeight());
                writeVarint(out, pool.inWidth());
                writeVarint(out, pool.kernelSize());
                writeVarint(out, pool.stride());
            } else if (layer instanceof IntegerFlatten) {
                out.writeByte(TYPE_FLATTEN);
                writeName(out, layer.name());
                writeShape(out, layer.inputShape());
            } else {
                throw new IllegalStateException("Unknown layer type " + layer.getClass().getName());
            }
        }
    }

    private static void writeWeightedHeader(DataOutputStream out, IntegerWeightedLayer layer) throws IOException {
        String name = layer.name();
        out.writeByte(layer.weightBitWidth());
        writeActivation(out, layer.input(), name + " input");
        double[] weightScales = layer.weightScales();
        for (int c = 0; c < weightScales.length; c++) {
            writeFloat32(out, weightScales[c], name + ": weight scale of channel " + c);
        }
        Requantizer requantizer = layer.requantizer();
        out.writeBoolean(requantizer != null);
        if (requantizer == null) {
            return;
        }
        writeActivation(out, requantizer.output(), name + " output");
        out.writeByte(requantizer.qmin());
        out.writeByte(requantizer.qmax());
        out.writeBoolean(requantizer.relu());
        for (int c = 0; c < requantizer.channels(); c++) {
            FixedPointMultiplier multiplier = requantizer.multiplier(c);
            FixedPointMultiplier expected = FixedPointMultiplier.forScales(weightScales[c], layer.input().scale(),
                    requantizer.output().scale(), name);
            if (!sameMultiplier(multiplier, expected)) {
                throw new IllegalArgumentException(name + ": the requantization multiplier of channel " + c + " ("
                        + multiplier + ") differs from " + expected + " computed from the scales as s_w * s_x / s_y; "
                        + "the model file stores only the scales, M0 and k, so build the multipliers with "
                        + "FixedPointMultiplier.forScales.");
            }
            out.writeInt(multiplier.multiplier());
            out.writeByte(multiplier.shift());
        }
    }

    private static boolean sameMultiplier(FixedPointMultiplier actual, FixedPointMultiplier expected) {
        return actual.multiplier() == expected.multiplier() && actual.shift() == expected.shift()
                && Double.compare(actual.realMultiplier(), expected.realMultiplier()) == 0;
    }

    private static void writeBlobs(IntegerModel model, DataOutputStream out) throws IOException {
        for (IntegerLayer layer : model.layers()) {
            if (layer instanceof IntegerWeightedLayer weighted) {
                out.write(packWeights(weighted.weights(), weighted.weightBitWidth()));
                for (int b : weighted.bias()) {
                    out.writeInt(b);
                }
            }
        }
    }

    private static void writeName(DataOutputStream out, String name) throws IOException {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("Layer name of " + utf8.length + " bytes is too long: use at most "
                    + MAX_NAME_BYTES + " UTF-8 bytes.");
        }
        writeVarint(out, utf8.length);
        out.write(utf8);
    }

    private static void writeShape(DataOutputStream out, int[] shape) throws IOException {
        if (shape.length < 1 || shape.length > MAX_RANK) {
            throw new IllegalArgumentException("Shape rank " + shape.length + " is out of range: use 1 to " + MAX_RANK + ".");
        }
        out.writeByte(shape.length);
        for (int dimension : shape) {
            writeVarint(out, dimension);
        }
    }

    private static void writeActivation(DataOutputStream out, ActivationQuantization activation, String field)
            throws IOException {
        // The record keeps the bit width in 2..8 and the zero point in [0, 255], so both fit a u8.
        out.writeByte(activation.bitWidth());
        out.writeByte(activation.zeroPoint());
        writeFloat32(out, activation.scale(), field + " scale");
    }

    private static void writeFloat32(DataOutputStream out, double value, String field) throws IOException {
        float single = (float) value;
        if (single != value) {
            throw new IllegalArgumentException(field + " " + value + " is not a float32 value (nearest: " + single
                    + "), so the model file cannot store it exactly; round scales to float32, as the quantizers "
                    + "do, before building the integer model.");
        }
        out.writeFloat(single);
    }

    /** Writes {@code value} as unsigned LEB128: 7 bits per byte, low group first, high bit set on all but the last. */
    static void writeVarint(DataOutputStream out, int value) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException("Value " + value + " cannot be stored as a varint: use 0 to 2^31 - 1.");
        }
        int rest = value;
        while (rest >= 0x80) {
            out.writeByte((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.writeByte(rest);
    }

    /** Packs signed weights: one per byte above 4 bits; two per byte (low nibble first) at 4 bits or less. */
    static byte[] packWeights(byte[] weights, int bitWidth) {
        if (bitWidth > 4) {
            return weights.clone();
        }
        byte[] packed = new byte[(weights.length + 1) / 2];
        for (int i = 0; i < weights.length; i++) {
            int nibble = weights[i] & 0x0F;
            packed[i / 2] |= (byte) (i % 2 == 0 ? nibble : nibble << 4);
        }
        return packed;
    }

    /** Reverses {@link #packWeights}, sign-extending each 4-bit value. */
    static byte[] unpackWeights(byte[] packed, int count, int bitWidth) {
        if (bitWidth > 4) {
            return packed.clone();
        }
        byte[] weights = new byte[count];
        for (int i = 0; i < count; i++) {
            int nibble = i % 2 == 0 ? packed[i / 2] & 0x0F : (packed[i / 2] >> 4) & 0x0F;
            weights[i] = (byte) ((nibble << 28) >> 28);
        }
        return weights;
    }

    /** Size in bytes of the weight blob of {@code count} weights of {@code bitWidth} bits. */
    static int packedSize(int count, int bitWidth) {
        return bitWidth > 4 ? count : (count + 1) / 2;
    }

    /**
     * Decodes a model from the bytes of a file.
     *
     * @param source the file name, for error messages
     * @throws ModelFileException naming the check that failed: empty, truncated, magic number,
     *     format version, checksum, or header contents
     */
    public static IntegerModel decode(byte[] bytes, String source) throws ModelFileException {
        if (bytes.length == 0) {
            throw new ModelFileException(source + ": the file is empty; expected a qat4j model file (.q4j).");
        }
        if (bytes.length < PREFIX_BYTES + CHECKSUM_BYTES) {
            throw new ModelFileException(source + ": file truncated: " + bytes.length + " bytes, but a model file has at least "
                    + (PREFIX_BYTES + CHECKSUM_BYTES) + ".");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new ModelFileException(source + ": wrong magic number " + hex(magic) + ", expected " + hex(MAGIC)
                    + " (\"Q4JM\"); this is not a qat4j model file.");
        }
        int version = buffer.getInt();
        if (version == 1) {
            throw new ModelFileException(source + ": format version 1 is no longer supported; this build reads version "
                    + FORMAT_VERSION + ", which stores scales as float32 and no real multipliers. Export the model "
                    + "again with this build.");
        }
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(source + ": unsupported format version " + version + "; this build reads version "
                    + FORMAT_VERSION + ". Export the model again with this version.");
        }
        long bodyLength = Integer.toUnsignedLong(buffer.getInt());
        long expectedLength = PREFIX_BYTES + bodyLength + CHECKSUM_BYTES;
        if (expectedLength > bytes.length) {
            throw new ModelFileException(source + ": file truncated: expected " + expectedLength + " bytes, found "
                    + bytes.length + " (or the length field of the header is damaged).");
        }
        if (expectedLength < bytes.length) {
            throw new ModelFileException(source + ": " + (bytes.length - expectedLength)
                    + " unexpected bytes after the checksum; expected " + expectedLength + " bytes in total.");
        }

        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
        int stored = ByteBuffer.wrap(bytes, bytes.length - CHECKSUM_BYTES, CHECKSUM_BYTES).getInt();
        if (stored != (int) crc.getValue()) {
            throw new ModelFileException(source + String.format(": checksum mismatch: stored CRC-32 %08x, computed %08x; "
                    + "the file was altered or corrupted.", stored, (int) crc.getValue()));
        }

        ByteBuffer body = ByteBuffer.wrap(bytes, PREFIX_BYTES, (int) bodyLength).slice();
        try {
            IntegerModel model = parseBody(body);
            if (body.hasRemaining()) {
                throw new ModelFileException(source + ": invalid contents: " + body.remaining()
                        + " bytes left over after the last blob.");
            }
            return model;
        } catch (BufferUnderflowException e) {
            throw new ModelFileException(source + ": invalid contents: the header describes more data than the file contains.", e);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ModelFileException(source + ": invalid contents: " + e.getMessage(), e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder("0x");
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }

    /** Layer fields read from the header; the layers are built once their blobs are read. */
    private record LayerHeader(byte type, String name, int[] dims, int weightBitWidth, ActivationQuantization input,
                               double[] weightScales, Requantizer requantizer, int outChannels, int fanIn) {
    }

    private static IntegerModel parseBody(ByteBuffer body) throws ModelFileException {
        int[] inputShape = readShape(body, "input");
        ActivationQuantization input = readActivation(body);
        int layerCount = readVarint(body, "layer count");
        if (layerCount < 1 || layerCount > MAX_LAYERS) {
            throw new IllegalArgumentException("layer count " + layerCount + " is out of range: use 1 to " + MAX_LAYERS + ".");
        }

        List<LayerHeader> headers = new ArrayList<>();
        for (int i = 0; i < layerCount; i++) {
            headers.add(readLayerHeader(body, i));
        }

        List<IntegerLayer> layers = new ArrayList<>();
        for (LayerHeader header : headers) {
            layers.add(buildLayer(header, body));
        }
        return new IntegerModel(inputShape, input, layers);
    }

    private static LayerHeader readLayerHeader(ByteBuffer body, int index) {
        byte type = body.get();
        String name = readName(body, index);
        int[] dims;
        int outChannels = 0;
        int fanIn = 0;
        switch (type) {
            case TYPE_LINEAR -> {
                dims = readVarints(body, 2, name);
                fanIn = dims[0];
                outChannels = dims[1];
            }
            case TYPE_CONV2D -> {
                dims = readVarints(body, 7, name);
                outChannels = dims[3];
                fanIn = Math.multiplyExact(dims[0], Math.multiplyExact(dims[4], dims[4]));
            }
            case TYPE_MAX_POOL2D -> dims = readVarints(body, 5, name);
            case TYPE_FLATTEN -> dims = readShape(body, name);
            default -> throw new IllegalArgumentException("layer " + index + " (" + name + ") has unknown type " + type + ".");
        }
        if (type != TYPE_LINEAR && type != TYPE_CONV2D) {
            return new LayerHeader(type, name, dims, 0, null, null, null, 0, 0);
        }

        IntegerLayer.requirePositive(name, "output channel count", outChannels);
        IntegerLayer.requirePositive(name, "fan-in", fanIn);
        int weightBitWidth = Byte.toUnsignedInt(body.get());
        ActivationQuantization layerInput = readActivation(body);
        requireAvailable(body, (long) outChannels * Float.BYTES, name);
        double[] weightScales = new double[outChannels];
        for (int c = 0; c < outChannels; c++) {
            weightScales[c] = readScale(body, name + ": weight scale of channel " + c);
        }
        Requantizer requantizer = null;
        if (readBoolean(body, name)) {
            requantizer = readRequantizer(body, name, weightScales, layerInput);
        }
        return new LayerHeader(type, name, dims, weightBitWidth, layerInput, weightScales, requantizer, outChannels, fanIn);
    }

    /**
     * Reads a requantizer and checks each stored {@code M0} and {@code k} against the ones
     * {@link FixedPointMultiplier#forScales} computes from the stored scales.
     */
    private static Requantizer readRequantizer(ByteBuffer body, String name, double[] weightScales,
                                               ActivationQuantization input) {
        ActivationQuantization output = readActivation(body);
        int qmin = Byte.toUnsignedInt(body.get());
        int qmax = Byte.toUnsignedInt(body.get());
        boolean relu = readBoolean(body, name);
        int channels = weightScales.length;
        requireAvailable(body, (long) channels * (Integer.BYTES + 1), name);
        FixedPointMultiplier[] multipliers = new FixedPointMultiplier[channels];
        for (int c = 0; c < channels; c++) {
            int m0 = body.getInt();
            int shift = Byte.toUnsignedInt(body.get());
            FixedPointMultiplier stored = FixedPointMultiplier.fromParts(m0, shift, name);
            FixedPointMultiplier expected = FixedPointMultiplier.forScales(weightScales[c], input.scale(), output.scale(),
                    name);
            if (stored.multiplier() != expected.multiplier() || stored.shift() != expected.shift()) {
                throw new IllegalArgumentException(name + ": stored multiplier of channel " + c + " (M0 = " + m0
                        + ", k = " + shift + ") differs from M0 = " + expected.multiplier() + ", k = "
                        + expected.shift() + " computed from the stored scales (M = s_w * s_x / s_y = "
                        + expected.realMultiplier() + "); the file was written inconsistently. Export the model again.");
            }
            multipliers[c] = expected;
        }
        return new Requantizer(output, qmin, qmax, relu, multipliers);
    }

    private static IntegerLayer buildLayer(LayerHeader header, ByteBuffer body) {
        int[] dims = header.dims();
        switch (header.type()) {
            case TYPE_MAX_POOL2D:
                return new IntegerMaxPool2d(header.name(), dims[0], dims[1], dims[2], dims[3], dims[4]);
            case TYPE_FLATTEN:
                return new IntegerFlatten(header.name(), dims);
            default:
                break;
        }

        if (header.weightBitWidth() < 2 || header.weightBitWidth() > 8) {
            throw new IllegalArgumentException(header.name() + ": weight bit width " + header.weightBitWidth()
                    + " is out of range: use 2 to 8.");
        }
        int count = Math.multiplyExact(header.outChannels(), header.fanIn());
        int blobSize = packedSize(count, header.weightBitWidth());
        requireAvailable(body, blobSize + (long) header.outChannels() * Integer.BYTES, header.name());
        byte[] packed = new byte[blobSize];
        body.get(packed);
        byte[] weights = unpackWeights(packed, count, header.weightBitWidth());
        int[] bias = new int[header.outChannels()];
        for (int c = 0; c < bias.length; c++) {
            bias[c] = body.getInt();
        }

        if (header.type() == TYPE_LINEAR) {
            return new IntegerLinear(header.name(), dims[0], dims[1], header.weightBitWidth(), weights,
                    header.weightScales(), bias, header.input(), header.requantizer());
        }
        return new IntegerConv2d(header.name(), dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], dims[6],
                header.weightBitWidth(), weights, header.weightScales(), bias, header.input(), header.requantizer());
    }

    private static void requireAvailable(ByteBuffer body, long bytes, String name) {
        if (bytes > body.remaining()) {
            throw new IllegalArgumentException(name + ": the header describes " + bytes + " more bytes than the "
                    + body.remaining() + " left in the file.");
        }
    }

    private static int[] readShape(ByteBuffer body, String name) {
        int rank = Byte.toUnsignedInt(body.get());
        if (rank < 1 || rank > MAX_RANK) {
            throw new IllegalArgumentException(name + ": shape rank " + rank + " is out of range: use 1 to " + MAX_RANK + ".");
        }
        return readVarints(body, rank, name);
    }

    private static int[] readVarints(ByteBuffer body, int count, String name) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = readVarint(body, name + " dimension");
        }
        return values;
    }

    /** Reads an unsigned LEB128 value written by {@link #writeVarint}; rejects values above int32 and padded forms. */
    static int readVarint(ByteBuffer body, String field) {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            int b = Byte.toUnsignedInt(body.get());
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw new IllegalArgumentException(field + ": varint ends in a zero byte; the shortest form is required.");
                }
                if (value > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(field + ": varint value " + value + " exceeds 2^31 - 1.");
                }
                return (int) value;
            }
        }
        throw new IllegalArgumentException(field + ": varint is longer than 5 bytes.");
    }

    private static ActivationQuantization readActivation(ByteBuffer body) {
        int bitWidth = Byte.toUnsignedInt(body.get());
        int zeroPoint = Byte.toUnsignedInt(body.get());
        double scale = readScale(body, "activation scale");
        return new ActivationQuantization(bitWidth, zeroPoint, scale);
    }

    private static double readScale(ByteBuffer body, String field) {
        float scale = body.getFloat();
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException(field + " " + scale + " is invalid: it must be positive and finite.");
        }
        return scale;
    }

    private static boolean readBoolean(ByteBuffer body, String name) {
        byte value = body.get();
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException(name + ": flag byte " + value + " is invalid: expected 0 or 1.");
        }
        return value == 1;
    }

    private static String readName(ByteBuffer body, int index) {
        int length = readVarint(body, "name length of layer " + index);
        if (length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("layer " + index + ": name length " + length + " is out of range: use 1 to "
                    + MAX_NAME_BYTES + ".");
        }
        requireAvailable(body, length, "layer " + index);
        byte[] utf = new byte[length];
        body.get(utf);
        return new String(utf, StandardCharsets.UTF_8);
    }
}
