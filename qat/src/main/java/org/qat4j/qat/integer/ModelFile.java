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
 * Reads and writes an {@link IntegerModel} as a {@code .q4j} file. All numbers are big-endian.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "Q4JM"
 * 4       4     format version (1)
 * 8       8     body length L
 * 16      L     body: header, then blobs
 * 16 + L  4     CRC-32 of bytes [0, 16 + L)
 * </pre>
 *
 * The header contains the input shape and quantization and, per layer, its type, name, shapes,
 * weight bit width, input zero point, bit width and scale, per-channel weight scales and, when the
 * layer requantizes, the output zero point, bit width and scale, {@code qmin}, {@code qmax}, the
 * ReLU flag and per-channel {@code M0}, shift {@code k} and real multiplier {@code M}. Scales and
 * real multipliers are metadata for inspection, except the last layer's weight scales, which set
 * its class-score multipliers (see {@link IntegerWeightedLayer#score}). The blobs
 * follow in layer order: the weights ({@code int8} bytes, or two 4-bit values per byte, low nibble
 * first, for widths of 4 bits or less) and the int32 bias of each weighted layer.
 *
 * <p>Writing goes to a temporary file in the target directory, which is then renamed, so a crash
 * never leaves a half-written model. Reading checks the length, magic number, version and
 * checksum before parsing, and the layers validate their contents, so nothing half-loaded escapes.
 */
public final class ModelFile {

    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = {'Q', '4', 'J', 'M'};
    private static final int PREFIX_BYTES = 16;
    private static final int CHECKSUM_BYTES = 4;
    private static final int MAX_RANK = 8;

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

    /** Encodes {@code model} in the file format. */
    public static byte[] encode(IntegerModel model) {
        try {
            ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();
            DataOutputStream body = new DataOutputStream(bodyBytes);
            writeHeader(model, body);
            writeBlobs(model, body);
            body.flush();

            ByteArrayOutputStream fileBytes = new ByteArrayOutputStream(PREFIX_BYTES + bodyBytes.size() + CHECKSUM_BYTES);
            DataOutputStream file = new DataOutputStream(fileBytes);
            file.write(MAGIC);
            file.writeInt(FORMAT_VERSION);
            file.writeLong(bodyBytes.size());
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
        writeActivation(out, model.input());
        out.writeInt(model.layers().size());
        for (IntegerLayer layer : model.layers()) {
            if (layer instanceof IntegerLinear linear) {
                out.writeByte(TYPE_LINEAR);
                writeName(out, layer.name());
                out.writeInt(linear.inFeatures());
                out.writeInt(linear.outFeatures());
                writeWeightedHeader(out, linear);
            } else if (layer instanceof IntegerConv2d conv) {
                out.writeByte(TYPE_CONV2D);
                writeName(out, layer.name());
                out.writeInt(conv.inChannels());
                out.writeInt(conv.inHeight());
                out.writeInt(conv.inWidth());
                out.writeInt(conv.outChannels());
                out.writeInt(conv.kernelSize());
                out.writeInt(conv.stride());
                out.writeInt(conv.padding());
                writeWeightedHeader(out, conv);
            } else if (layer instanceof IntegerMaxPool2d pool) {
                out.writeByte(TYPE_MAX_POOL2D);
                writeName(out, layer.name());
                out.writeInt(pool.channels());
                out.writeInt(pool.inHeight());
                out.writeInt(pool.inWidth());
                out.writeInt(pool.kernelSize());
                out.writeInt(pool.stride());
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
        out.writeInt(layer.weightBitWidth());
        writeActivation(out, layer.input());
        for (double scale : layer.weightScales()) {
            out.writeDouble(scale);
        }
        Requantizer requantizer = layer.requantizer();
        out.writeBoolean(requantizer != null);
        if (requantizer != null) {
            writeActivation(out, requantizer.output());
            out.writeInt(requantizer.qmin());
            out.writeInt(requantizer.qmax());
            out.writeBoolean(requantizer.relu());
            for (int c = 0; c < requantizer.channels(); c++) {
                FixedPointMultiplier multiplier = requantizer.multiplier(c);
                out.writeInt(multiplier.multiplier());
                out.writeInt(multiplier.shift());
                out.writeDouble(multiplier.realMultiplier());
            }
        }
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
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("Layer name of " + utf8.length + " bytes is too long: use at most 65535.");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    private static void writeShape(DataOutputStream out, int[] shape) throws IOException {
        out.writeInt(shape.length);
        for (int dimension : shape) {
            out.writeInt(dimension);
        }
    }

    private static void writeActivation(DataOutputStream out, ActivationQuantization activation) throws IOException {
        out.writeInt(activation.bitWidth());
        out.writeInt(activation.zeroPoint());
        out.writeDouble(activation.scale());
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
        if (version != FORMAT_VERSION) {
            throw new ModelFileException(source + ": unsupported format version " + version + "; this build reads version "
                    + FORMAT_VERSION + ". Export the model again with this version.");
        }
        long bodyLength = buffer.getLong();
        long expectedLength = PREFIX_BYTES + bodyLength + CHECKSUM_BYTES;
        if (bodyLength < 0 || expectedLength > bytes.length) {
            throw new ModelFileException(source + ": file truncated: expected " + expectedLength + " bytes, found "
                    + bytes.length + ".");
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
        int layerCount = body.getInt();
        if (layerCount < 1 || layerCount > 10_000) {
            throw new IllegalArgumentException("layer count " + layerCount + " is out of range.");
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
        String name = readName(body);
        int[] dims;
        int outChannels = 0;
        int fanIn = 0;
        switch (type) {
            case TYPE_LINEAR -> {
                dims = readInts(body, 2);
                fanIn = dims[0];
                outChannels = dims[1];
            }
            case TYPE_CONV2D -> {
                dims = readInts(body, 7);
                outChannels = dims[3];
                fanIn = Math.multiplyExact(dims[0], Math.multiplyExact(dims[4], dims[4]));
            }
            case TYPE_MAX_POOL2D -> dims = readInts(body, 5);
            case TYPE_FLATTEN -> dims = readShape(body, name);
            default -> throw new IllegalArgumentException("layer " + index + " (" + name + ") has unknown type " + type + ".");
        }
        if (type != TYPE_LINEAR && type != TYPE_CONV2D) {
            return new LayerHeader(type, name, dims, 0, null, null, null, 0, 0);
        }

        IntegerLayer.requirePositive(name, "output channel count", outChannels);
        IntegerLayer.requirePositive(name, "fan-in", fanIn);
        requireAvailable(body, (long) outChannels * Double.BYTES, name);
        int weightBitWidth = body.getInt();
        ActivationQuantization layerInput = readActivation(body);
        double[] weightScales = new double[outChannels];
        for (int c = 0; c < outChannels; c++) {
            weightScales[c] = body.getDouble();
        }
        Requantizer requantizer = null;
        if (readBoolean(body, name)) {
            ActivationQuantization output = readActivation(body);
            int qmin = body.getInt();
            int qmax = body.getInt();
            boolean relu = readBoolean(body, name);
            requireAvailable(body, (long) outChannels * (2 * Integer.BYTES + Double.BYTES), name);
            FixedPointMultiplier[] multipliers = new FixedPointMultiplier[outChannels];
            for (int c = 0; c < outChannels; c++) {
                int m0 = body.getInt();
                int shift = body.getInt();
                double real = body.getDouble();
                multipliers[c] = FixedPointMultiplier.fromParts(m0, shift, real, name);
            }
            requantizer = new Requantizer(output, qmin, qmax, relu, multipliers);
        }
        return new LayerHeader(type, name, dims, weightBitWidth, layerInput, weightScales, requantizer, outChannels, fanIn);
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
        int rank = body.getInt();
        if (rank < 1 || rank > MAX_RANK) {
            throw new IllegalArgumentException(name + ": shape rank " + rank + " is out of range: use 1 to " + MAX_RANK + ".");
        }
        return readInts(body, rank);
    }

    private static int[] readInts(ByteBuffer body, int count) {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = body.getInt();
        }
        return values;
    }

    private static ActivationQuantization readActivation(ByteBuffer body) {
        int bitWidth = body.getInt();
        int zeroPoint = body.getInt();
        double scale = body.getDouble();
        return new ActivationQuantization(bitWidth, zeroPoint, scale);
    }

    private static boolean readBoolean(ByteBuffer body, String name) {
        byte value = body.get();
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException(name + ": flag byte " + value + " is invalid: expected 0 or 1.");
        }
        return value == 1;
    }

    private static String readName(ByteBuffer body) {
        int length = Short.toUnsignedInt(body.getShort());
        byte[] utf = new byte[length];
        body.get(utf);
        return new String(utf, StandardCharsets.UTF_8);
    }
}
