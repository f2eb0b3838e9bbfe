package io.duplexsim.isa.trace;

import io.duplexsim.isa.DataType;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.TraceHeader;
import io.duplexsim.sim.InputException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The compact trace format, for long generated traces. Big-endian (DataOutputStream): int magic
 * "DXTR", short version, the header (device as UTF, model and iteration as a presence byte then
 * UTF), int instruction count, then per instruction a tag byte ({@link OpCodes}) and the record
 * components in declaration order: int/long/boolean as themselves, enums as an ordinal byte, int
 * sequences as a length int then ints, tensor formats as (type ordinal byte, group int, scale
 * ordinal byte or -1), placements as a presence byte then their components.
 *
 * <p>Reading errors are {@link InputException}s "FILE:#N: ..." where N is the 1-based instruction
 * number (the binary counterpart of a line number).
 */
public final class TraceBinary {
  public static final int MAGIC = 0x44585452; // "DXTR"

  private TraceBinary() {}

  // ---------------------------------------------------------------- writing

  public static void write(InstructionTrace trace, Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(trace, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static byte[] toBytes(InstructionTrace trace) {
    java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
    try {
      write(trace, bos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  public static void write(InstructionTrace trace, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os));
    TraceHeader h = trace.header();
    out.writeInt(MAGIC);
    out.writeShort(h.version());
    out.writeUTF(h.device());
    writeOptional(out, h.model());
    writeOptional(out, h.iteration());
    out.writeInt(trace.size());
    for (Instruction ins : trace.instructions()) {
      OpCodes.Op op = OpCodes.of(ins);
      out.writeByte(op.tag());
      writeFields(out, op.schema(), ins);
    }
    out.flush();
  }

  private static void writeOptional(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static void writeFields(DataOutputStream out, RecordSchema schema, Object record)
      throws IOException {
    for (RecordSchema.Field f : schema.fields()) {
      Object v = f.get(record);
      switch (f.kind()) {
        case INT -> out.writeInt((Integer) v);
        case LONG -> out.writeLong((Long) v);
        case BOOLEAN -> out.writeBoolean((Boolean) v);
        case ENUM -> out.writeByte(((Enum<?>) v).ordinal());
        case INT_SEQ -> {
          IntSeq s = (IntSeq) v;
          out.writeInt(s.size());
          for (int i = 0; i < s.size(); i++) {
            out.writeInt(s.get(i));
          }
        }
        case FORMAT -> {
          TensorFormat t = (TensorFormat) v;
          out.writeByte(t.dataType().ordinal());
          out.writeInt(t.groupSize());
          out.writeByte(t.scaleType() == null ? -1 : t.scaleType().ordinal());
        }
        case RECORD -> {
          out.writeBoolean(v != null);
          if (v != null) {
            writeFields(out, f.nested(), v);
          }
        }
        default -> throw new IllegalStateException(f.kind().toString());
      }
    }
  }

  // ---------------------------------------------------------------- reading

  public static InstructionTrace read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new InputException(file + ": cannot read trace: " + e.getMessage(), e);
    }
  }

  public static InstructionTrace read(byte[] bytes, String fileName) {
    return read(new java.io.ByteArrayInputStream(bytes), fileName);
  }

  /** Reads a whole trace; {@code fileName} is only used in error messages. */
  public static InstructionTrace read(InputStream is, String fileName) {
    DataInputStream in = new DataInputStream(new BufferedInputStream(is));
    String where = fileName + ":header: ";
    try {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new InputException(where + "not a binary duplexsim trace (magic "
            + Integer.toHexString(magic) + ", expected " + Integer.toHexString(MAGIC) + ")");
      }
      int version = in.readUnsignedShort();
      if (version != TraceHeader.CURRENT_VERSION) {
        throw new InputException(where + "field 'version' expected "
            + TraceHeader.CURRENT_VERSION + " (the version this simulator reads), got " + version);
      }
      String device = in.readUTF();
      String model = in.readBoolean() ? in.readUTF() : null;
      String iteration = in.readBoolean() ? in.readUTF() : null;
      TraceHeader header;
      try {
        header = new TraceHeader(version, device, model, iteration);
      } catch (IllegalArgumentException e) {
        throw new InputException(where + e.getMessage(), e);
      }
      int count = in.readInt();
      if (count < 0) {
        throw new InputException(where + "field 'count' expected a non-negative integer, got "
            + count);
      }
      List<Instruction> out = new ArrayList<>(Math.min(count, 1 << 16));
      Set<Integer> ids = new HashSet<>();
      for (int n = 1; n <= count; n++) {
        where = fileName + ":#" + n + ": ";
        int tag = in.readUnsignedByte();
        OpCodes.Op op = OpCodes.byTag(tag);
        if (op == null) {
          throw new InputException(where + "unknown op tag " + tag);
        }
        Instruction ins;
        try {
          ins = (Instruction) readFields(in, op.schema(), "");
        } catch (IllegalArgumentException e) {
          throw new InputException(where + op.name() + ": " + e.getMessage(), e);
        }
        TraceOrder.accept(ids, ins, where);
        out.add(ins);
      }
      if (in.read() != -1) {
        throw new InputException(fileName + ": trailing bytes after " + count + " instructions");
      }
      return new InstructionTrace(header, out);
    } catch (EOFException e) {
      throw new InputException(where + "truncated trace (unexpected end of file)", e);
    } catch (IOException e) {
      throw new InputException(where + "cannot read trace: " + e.getMessage(), e);
    }
  }

  private static Object readFields(DataInputStream in, RecordSchema schema, String prefix)
      throws IOException {
    List<RecordSchema.Field> fields = schema.fields();
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < values.length; i++) {
      RecordSchema.Field f = fields.get(i);
      String path = prefix + f.name();
      switch (f.kind()) {
        case INT -> values[i] = in.readInt();
        case LONG -> values[i] = in.readLong();
        case BOOLEAN -> values[i] = in.readBoolean();
        case ENUM -> values[i] = constant(f.type(), in.readByte(), path);
        case INT_SEQ -> {
          int len = in.readInt();
          if (len < 0 || len > (1 << 24)) {
            throw new IllegalArgumentException(
                "field '" + path + "' expected a length in [0, 2^24], got " + len);
          }
          int[] a = new int[len];
          for (int j = 0; j < len; j++) {
            a[j] = in.readInt();
          }
          values[i] = IntSeq.of(a);
        }
        case FORMAT -> {
          DataType dt = (DataType) constant(DataType.class, in.readByte(), path);
          int group = in.readInt();
          byte scale = in.readByte();
          DataType st = scale == -1 ? null : (DataType) constant(DataType.class, scale, path);
          try {
            values[i] = new TensorFormat(dt, group, st);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                e.getMessage().replace("field '", "field '" + path + "."), e);
          }
        }
        case RECORD -> values[i] = in.readBoolean() ? readFields(in, f.nested(), path + ".") : null;
        default -> throw new IllegalStateException(f.kind().toString());
      }
    }
    return schema.construct(values, prefix);
  }

  private static Object constant(Class<?> type, int ordinal, String path) {
    Object[] cs = type.getEnumConstants();
    if (ordinal < 0 || ordinal >= cs.length) {
      throw new IllegalArgumentException("field '" + path + "' expected an ordinal below "
          + cs.length + ", got " + ordinal);
    }
    return cs[ordinal];
  }
}
