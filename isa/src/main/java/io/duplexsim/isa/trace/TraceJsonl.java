package io.duplexsim.isa.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.InstructionTrace;
import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.Names;
import io.duplexsim.isa.TensorFormat;
import io.duplexsim.isa.TraceHeader;
import io.duplexsim.sim.InputException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The human-readable trace format: JSON lines. Line 1 is the header
 * {"format":"duplexsim-trace","version":1,"device":...,"model":...,"iteration":...}; every further
 * non-blank line is one instruction {"op":"gemm","id":0,"unit":"xpu","deps":[],"m":...}, with the
 * instruction record's components as fields. "deps" may be omitted (none) and placements may be
 * omitted (unspecified). Enum values use lower-case hyphenated names (logic-pim, all-reduce),
 * tensor formats their text form ("bf16", "int4/g128/fp16").
 *
 * <p>Every reading error is an {@link InputException} "FILE:LINE: ..." naming the field.
 */
public final class TraceJsonl {
  public static final String FORMAT = "duplexsim-trace";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TraceJsonl() {}

  // ---------------------------------------------------------------- writing

  public static void write(InstructionTrace trace, Path file) {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(trace, w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static String toString(InstructionTrace trace) {
    java.io.StringWriter sw = new java.io.StringWriter();
    try {
      write(trace, sw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  public static void write(InstructionTrace trace, Writer out) throws IOException {
    BufferedWriter w = out instanceof BufferedWriter b ? b : new BufferedWriter(out);
    ObjectNode h = MAPPER.createObjectNode();
    TraceHeader header = trace.header();
    h.put("format", FORMAT);
    h.put("version", header.version());
    h.put("device", header.device());
    if (header.model() != null) {
      h.put("model", header.model());
    }
    if (header.iteration() != null) {
      h.put("iteration", header.iteration());
    }
    w.write(MAPPER.writeValueAsString(h));
    w.write('\n');
    for (Instruction ins : trace.instructions()) {
      w.write(MAPPER.writeValueAsString(encode(ins)));
      w.write('\n');
    }
    w.flush();
  }

  /** One instruction as the JSON object of its trace line. */
  public static ObjectNode encode(Instruction ins) {
    OpCodes.Op op = OpCodes.of(ins);
    ObjectNode o = MAPPER.createObjectNode();
    o.put("op", op.name());
    encodeFields(op.schema(), ins, o);
    return o;
  }

  private static void encodeFields(RecordSchema schema, Object record, ObjectNode o) {
    for (RecordSchema.Field f : schema.fields()) {
      Object v = f.get(record);
      switch (f.kind()) {
        case INT -> o.put(f.name(), (Integer) v);
        case LONG -> o.put(f.name(), (Long) v);
        case BOOLEAN -> o.put(f.name(), (Boolean) v);
        case ENUM -> o.put(f.name(), Names.of((Enum<?>) v));
        case INT_SEQ -> {
          ArrayNode a = o.putArray(f.name());
          ((IntSeq) v).stream().forEach(a::add);
        }
        case FORMAT -> o.put(f.name(), ((TensorFormat) v).label());
        case RECORD -> {
          if (v != null) {
            encodeFields(f.nested(), v, o.putObject(f.name()));
          }
        }
        default -> throw new IllegalStateException(f.kind().toString());
      }
    }
  }

  // ---------------------------------------------------------------- reading

  public static InstructionTrace read(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r, file.toString());
    } catch (IOException e) {
      throw new InputException(file + ": cannot read trace: " + e.getMessage(), e);
    }
  }

  public static InstructionTrace read(String text, String fileName) {
    return read(new java.io.StringReader(text), fileName);
  }

  /** Reads a whole trace; {@code fileName} is only used in error messages. */
  public static InstructionTrace read(Reader in, String fileName) {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
    TraceHeader header = null;
    List<Instruction> out = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    int lineNo = 0;
    try {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String where = fileName + ":" + lineNo + ": ";
        ObjectNode obj = parseObject(line, where);
        if (header == null) {
          header = readHeader(obj, where);
          continue;
        }
        Instruction ins;
        try {
          ins = decode(obj);
        } catch (IllegalArgumentException e) {
          throw new InputException(where + e.getMessage(), e);
        }
        TraceOrder.accept(ids, ins, where);
        out.add(ins);
      }
    } catch (IOException e) {
      throw new InputException(fileName + ":" + lineNo + ": cannot read trace: " + e.getMessage(),
          e);
    }
    if (header == null) {
      throw new InputException(fileName + ":1: missing header line {\"format\":\"" + FORMAT
          + "\",\"version\":" + TraceHeader.CURRENT_VERSION + ",\"device\":...}");
    }
    return new InstructionTrace(header, out);
  }

  private static ObjectNode parseObject(String line, String where) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InputException(where + "malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (!(node instanceof ObjectNode o)) {
      throw new InputException(where + "expected a JSON object, got " + node);
    }
    return o;
  }

  private static TraceHeader readHeader(ObjectNode h, String where) {
    JsonNode format = h.get("format");
    if (format == null || !FORMAT.equals(format.asText(null))) {
      throw new InputException(where + "field 'format' expected \"" + FORMAT
          + "\" (the first line must be the trace header), got " + format);
    }
    JsonNode version = h.get("version");
    if (version == null || !version.isInt()) {
      throw new InputException(where + "field 'version' expected an integer, got " + version);
    }
    if (version.intValue() != TraceHeader.CURRENT_VERSION) {
      throw new InputException(where + "field 'version' expected " + TraceHeader.CURRENT_VERSION
          + " (the version this simulator reads), got " + version.intValue());
    }
    String device = text(h, "device", true, where);
    return new TraceHeader(version.intValue(), device, text(h, "model", false, where),
        text(h, "iteration", false, where));
  }

  private static String text(ObjectNode o, String field, boolean required, String where) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new InputException(where + "missing field '" + field + "'");
      }
      return null;
    }
    if (!n.isTextual() || (required && n.textValue().isEmpty())) {
      throw new InputException(where + "field '" + field + "' expected a non-empty string, got "
          + n);
    }
    return n.textValue();
  }

  /**
   * One instruction from its JSON object; IllegalArgumentException naming the field otherwise
   * (the reader prefixes file and line).
   */
  public static Instruction decode(ObjectNode obj) {
    JsonNode opNode = obj.get("op");
    if (opNode == null) {
      throw new IllegalArgumentException("missing field 'op'");
    }
    OpCodes.Op op = opNode.isTextual() ? OpCodes.byName(opNode.textValue()) : null;
    if (op == null) {
      throw new IllegalArgumentException("unknown op " + opNode + " (expected one of "
          + String.join(", ", OpCodes.names()) + ")");
    }
    return (Instruction) decodeFields(op.schema(), obj, "", op.name(), true);
  }

  private static Object decodeFields(RecordSchema schema, ObjectNode obj, String prefix,
      String opName, boolean top) {
    Set<String> known = new HashSet<>();
    if (top) {
      known.add("op");
    }
    List<RecordSchema.Field> fields = schema.fields();
    Object[] values = new Object[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      RecordSchema.Field f = fields.get(i);
      known.add(f.name());
      values[i] = decodeField(f, obj.get(f.name()), prefix + f.name(), opName);
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        List<String> names = new ArrayList<>();
        fields.forEach(f -> names.add(f.name()));
        throw new IllegalArgumentException("unknown field '" + prefix + name + "' for op "
            + opName + " (fields: " + String.join(", ", names) + ")");
      }
    }
    return schema.construct(values, prefix);
  }

  private static Object decodeField(RecordSchema.Field f, JsonNode n, String path, String opName) {
    if (n == null || n.isNull()) {
      if (f.kind() == FieldKind.RECORD) {
        return null;
      }
      if (f.kind() == FieldKind.INT_SEQ && path.equals("deps")) {
        return IntSeq.empty();
      }
      throw new IllegalArgumentException("missing field '" + path + "' for op " + opName);
    }
    switch (f.kind()) {
      case INT:
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
          throw expected(path, "an integer", n);
        }
        return n.intValue();
      case LONG:
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
          throw expected(path, "an integer", n);
        }
        return n.longValue();
      case BOOLEAN:
        if (!n.isBoolean()) {
          throw expected(path, "true or false", n);
        }
        return n.booleanValue();
      case ENUM: {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Enum<?> e = n.isTextual() ? Names.parse((Class) f.type(), n.textValue()) : null;
        if (e == null) {
          @SuppressWarnings("unchecked")
          Class<? extends Enum<?>> t = (Class<? extends Enum<?>>) f.type();
          throw expected(path, "one of " + Names.choices(t), n);
        }
        return e;
      }
      case INT_SEQ: {
        if (!n.isArray()) {
          throw expected(path, "an array of integers", n);
        }
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) {
          JsonNode x = n.get(i);
          if (!x.isIntegralNumber() || !x.canConvertToInt()) {
            throw expected(path, "an array of integers", n);
          }
          a[i] = x.intValue();
        }
        return IntSeq.of(a);
      }
      case FORMAT:
        if (!n.isTextual()) {
          throw expected(path, "a tensor format string like \"bf16\"", n);
        }
        try {
          return TensorFormat.parse(n.textValue());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("field '" + path + "' " + e.getMessage(), e);
        }
      case RECORD:
        if (!(n instanceof ObjectNode o)) {
          throw expected(path, "an object", n);
        }
        return decodeFields(f.nested(), o, path + ".", opName, false);
      default:
        throw new IllegalStateException(f.kind().toString());
    }
  }

  private static IllegalArgumentException expected(String path, String what, JsonNode got) {
    return new IllegalArgumentException("field '" + path + "' expected " + what + ", got " + got);
  }
}
