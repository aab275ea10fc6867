package org.qat4j.autograd.nn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.qat4j.autograd.Backend;
import org.qat4j.autograd.NativeRows;
import org.qat4j.autograd.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A layer or a network: named parameters (tensors that collect gradients), named buffers
 * (state that is saved but not trained, such as running statistics), child modules and a
 * training/evaluation mode. Names of nested entries are dotted paths such as {@code 0.weight}.
 *
 * <p>File format of {@link #save}: the magic number {@code QAT4JMOD} as 8 ASCII bytes, the
 * format version (int), the entry count (int), then per entry its name (2-byte length and UTF-8 bytes), kind
 * (0 parameter, 1 buffer), dtype (1 FLOAT, 2 DOUBLE), rank, shape (longs) and the values,
 * all big-endian, and last the CRC32 of everything before it (long).
 */
public abstract class Module {

    private static final Logger LOG = LoggerFactory.getLogger(Module.class);
    private static final byte[] MAGIC = "QAT4JMOD".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;
    private static final byte KIND_PARAMETER = 0;
    private static final byte KIND_BUFFER = 1;

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    protected Module() {
        Backend.init();
    }

    /** Computes the output of this module for input {@code x}. */
    public abstract Tensor forward(Tensor x);

    /** Registers a trainable parameter and returns its tensor. */
    protected Tensor registerParameter(String name, INDArray value) {
        checkNewName(name);
        Tensor tensor = Tensor.parameter(value).named(name);
        parameters.put(name, tensor);
        return tensor;
    }

    /** Registers a buffer: saved and loaded with the parameters but not trained. */
    protected INDArray registerBuffer(String name, INDArray value) {
        checkNewName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under {@code name}. */
    protected <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("Invalid name '" + name + "': use a non-empty name without dots");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("Name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** Returns this module's own buffer (not a child's) by name. */
    protected INDArray buffer(String name) {
        INDArray value = buffers.get(name);
        if (value == null) {
            throw new IllegalArgumentException("No buffer named '" + name + "' in " + getClass().getSimpleName());
        }
        return value;
    }

    /** Returns all parameters of this module and its descendants, by dotted name, in registration order. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, tensor) -> out.put(prefix + name, tensor));
        children.forEach((name, child) -> child.collectParameters(prefix + name + ".", out));
    }

    /** Returns all parameters of this module and its descendants. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Returns all buffers of this module and its descendants, by dotted name. */
    public Map<String, INDArray> namedBuffers() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, INDArray> out) {
        buffers.forEach((name, value) -> out.put(prefix + name, value));
        children.forEach((name, child) -> child.collectBuffers(prefix + name + ".", out));
    }

    /** Returns the direct children by name. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Switches this module and its descendants to training mode. */
    public Module train() {
        setTraining(true);
        return this;
    }

    /** Switches this module and its descendants to evaluation mode. */
    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean mode) {
        training = mode;
        children.values().forEach(child -> child.setTraining(mode));
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * Converts every parameter and buffer to {@code type} (FLOAT for training, DOUBLE for
     * gradient checks). Parameter tensors keep their identity, so an optimizer built earlier
     * still updates them.
     */
    public Module to(DataType type) {
        for (Tensor tensor : parameters.values()) {
            if (tensor.value().dataType() != type) {
                tensor.setValue(tensor.value().castTo(type));
                tensor.zeroGrad();
            }
        }
        buffers.replaceAll((name, value) -> value.dataType() == type ? value : value.castTo(type));
        children.values().forEach(child -> child.to(type));
        return this;
    }

    /**
     * Returns the parameters' values and the buffers by dotted name. The arrays are the
     * module's own (not copies); copy them before changing them.
     */
    public Map<String, INDArray> stateDict() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        namedParameters().forEach((name, tensor) -> state.put(name, tensor.value()));
        state.putAll(namedBuffers());
        return state;
    }

    /**
     * Copies {@code state} into this module's parameters and buffers. Strict: every key must be
     * present, no extra key is allowed and shapes must match; the error names the key. Values
     * are converted to the module's dtype.
     */
    public void loadStateDict(Map<String, INDArray> state) {
        Map<String, INDArray> own = stateDict();
        List<String> missing = new ArrayList<>();
        for (String key : own.keySet()) {
            if (!state.containsKey(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("State dict is missing keys " + missing + " required by "
                    + getClass().getSimpleName() + "; it has " + state.keySet());
        }
        for (String key : state.keySet()) {
            if (!own.containsKey(key)) {
                throw new IllegalArgumentException("State dict has unexpected key '" + key + "'; "
                        + getClass().getSimpleName() + " expects " + own.keySet());
            }
        }
        for (Map.Entry<String, INDArray> entry : own.entrySet()) {
            INDArray source = state.get(entry.getKey());
            if (!Arrays.equals(source.shape(), entry.getValue().shape())) {
                throw new IllegalArgumentException("State dict key '" + entry.getKey() + "' has shape "
                        + Arrays.toString(source.shape()) + " but the module expects "
                        + Arrays.toString(entry.getValue().shape()));
            }
        }
        for (Map.Entry<String, INDArray> entry : own.entrySet()) {
            INDArray source = state.get(entry.getKey());
            if (source != entry.getValue()) {
                entry.getValue().assign(source);
            }
        }
    }

    /** Writes the state dict to {@code path} atomically: a temporary file in the same directory, then a rename. */
    public void save(Path path) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            Map<String, Tensor> params = namedParameters();
            Map<String, INDArray> bufs = namedBuffers();
            out.writeInt(params.size() + bufs.size());
            for (Map.Entry<String, Tensor> entry : params.entrySet()) {
                writeEntry(out, entry.getKey(), KIND_PARAMETER, entry.getValue().value());
            }
            for (Map.Entry<String, INDArray> entry : bufs.entrySet()) {
                writeEntry(out, entry.getKey(), KIND_BUFFER, entry.getValue());
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }

        Path absolute = path.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory != null) {
            Files.createDirectories(directory);
        }
        // Files.createTempFile would make the checkpoint readable by its owner only; this name is unique
        // and the file gets the default permissions.
        Path temporary = absolute.resolveSibling(absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.write(temporary, bytes.toByteArray(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.warn("Atomic rename is not supported for {}; replacing the file non-atomically", absolute);
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        LOG.info("Saved {} ({} bytes) to {}", getClass().getSimpleName(), bytes.size(), absolute);
    }

    private static void writeEntry(DataOutputStream out, String name, byte kind, INDArray value) throws IOException {
        out.writeUTF(name);
        out.writeByte(kind);
        DataType type = value.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalStateException("Cannot save '" + name + "' of dtype " + type
                    + "; only FLOAT and DOUBLE are supported. Convert the module with to(DataType.FLOAT)");
        }
        out.writeByte(type == DataType.FLOAT ? 1 : 2);
        long[] shape = value.shape();
        out.writeInt(shape.length);
        for (long d : shape) {
            out.writeLong(d);
        }
        INDArray contiguous = value.dup('c');
        double[] values = NativeRows.readAll(contiguous, null);
        for (int i = 0; i < contiguous.length(); i++) {
            if (type == DataType.FLOAT) {
                out.writeFloat((float) values[i]);
            } else {
                out.writeDouble(values[i]);
            }
        }
    }

    /**
     * Loads a file written by {@link #save} into this module. The magic number, version and
     * checksum are verified first; then names, kinds, shapes and dtypes must match this module.
     */
    public void load(Path path) throws IOException {
        byte[] data = Files.readAllBytes(path);
        String file = path.toString();
        int minimum = MAGIC.length + 4 + 4 + 8;
        if (data.length < minimum) {
            throw new IOException(file + ": expected at least " + minimum + " bytes, found " + data.length
                    + " (file truncated or not a qat4j module file?)");
        }
        if (!Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new IOException(file + ": not a qat4j module file (magic number missing)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        buffer.position(MAGIC.length);
        int version = buffer.getInt();
        if (version != FORMAT_VERSION) {
            throw new IOException(file + ": format version " + version + " is not supported; this build reads version "
                    + FORMAT_VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        long stored = ByteBuffer.wrap(data, data.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(file + ": checksum mismatch (stored " + Long.toHexString(stored) + ", computed "
                    + Long.toHexString(crc.getValue()) + "); the file is truncated or corrupted");
        }

        Map<String, Tensor> params = namedParameters();
        Map<String, INDArray> bufs = namedBuffers();
        int count = buffer.getInt();
        if (count != params.size() + bufs.size()) {
            throw new IOException(file + ": has " + count + " entries but " + getClass().getSimpleName() + " has "
                    + (params.size() + bufs.size()) + " parameters and buffers");
        }
        Map<String, INDArray> state = new LinkedHashMap<>();
        try {
            for (int e = 0; e < count; e++) {
                String name = readUtf(buffer);
                byte kind = buffer.get();
                byte typeCode = buffer.get();
                INDArray target = kind == KIND_PARAMETER && params.containsKey(name) ? params.get(name).value()
                        : kind == KIND_BUFFER ? bufs.get(name) : null;
                if (target == null) {
                    throw new IOException(file + ": entry '" + name + "' (" + (kind == KIND_PARAMETER ? "parameter" : "buffer")
                            + ") does not exist in " + getClass().getSimpleName() + "; expected " + stateDict().keySet());
                }
                DataType type = dataTypeOf(typeCode);
                if (type == null) {
                    throw new IOException(file + ": entry '" + name + "' has unknown dtype code " + typeCode
                            + "; expected 1 (FLOAT) or 2 (DOUBLE)");
                }
                if (type != target.dataType()) {
                    throw new IOException(file + ": entry '" + name + "' is " + type + " but the module has "
                            + target.dataType() + "; convert the module with to(DataType." + type + ") first");
                }
                int rank = buffer.getInt();
                if (rank < 0 || rank > 8) {
                    throw new IOException(file + ": entry '" + name + "' has invalid rank " + rank);
                }
                long[] shape = new long[rank];
                for (int d = 0; d < rank; d++) {
                    shape[d] = buffer.getLong();
                }
                if (!Arrays.equals(shape, target.shape())) {
                    throw new IOException(file + ": entry '" + name + "' has shape " + Arrays.toString(shape)
                            + " but the module expects " + Arrays.toString(target.shape()));
                }
                int length = Math.toIntExact(target.length());
                double[] values = new double[length];
                for (int i = 0; i < length; i++) {
                    values[i] = type == DataType.FLOAT ? buffer.getFloat() : buffer.getDouble();
                }
                INDArray array = target.ulike();
                NativeRows.writeAll(array, values);
                state.put(name, array);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException(file + ": ends in the middle of an entry (file truncated?)", e);
        }
        if (buffer.remaining() != 8) {
            throw new IOException(file + ": " + (buffer.remaining() - 8) + " unexpected bytes after the last entry");
        }
        loadStateDict(state);
        LOG.info("Loaded {} from {}", getClass().getSimpleName(), path);
    }

    private static DataType dataTypeOf(byte code) {
        switch (code) {
            case 1:
                return DataType.FLOAT;
            case 2:
                return DataType.DOUBLE;
            default:
                return null;
        }
    }

    private static String readUtf(ByteBuffer buffer) {
        int length = Short.toUnsignedInt(buffer.getShort());
        byte[] utf = new byte[length];
        buffer.get(utf);
        return new String(utf, java.nio.charset.StandardCharsets.UTF_8);
    }
}
