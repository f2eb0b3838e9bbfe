package io.duplexsim.isa.trace;

import io.duplexsim.isa.Activation;
import io.duplexsim.isa.Attention;
import io.duplexsim.isa.Barrier;
import io.duplexsim.isa.Collective;
import io.duplexsim.isa.Elementwise;
import io.duplexsim.isa.Gemm;
import io.duplexsim.isa.Instruction;
import io.duplexsim.isa.KvAppend;
import io.duplexsim.isa.KvRead;
import io.duplexsim.isa.Load;
import io.duplexsim.isa.Norm;
import io.duplexsim.isa.Rotary;
import io.duplexsim.isa.Softmax;
import io.duplexsim.isa.Store;
import io.duplexsim.isa.TopKGate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The op names ("gemm") and binary tags of every instruction kind. Tags are part of the binary
 * format: never renumber, only append.
 */
public final class OpCodes {
  /** One instruction kind: trace name, binary tag and field schema. */
  record Op(String name, int tag, RecordSchema schema) {}

  private static final List<Op> OPS = List.of(
      op("gemm", 1, Gemm.class),
      op("attention", 2, Attention.class),
      op("softmax", 3, Softmax.class),
      op("norm", 4, Norm.class),
      op("activation", 5, Activation.class),
      op("rotary", 6, Rotary.class),
      op("topk-gate", 7, TopKGate.class),
      op("elementwise", 8, Elementwise.class),
      op("kv-append", 9, KvAppend.class),
      op("kv-read", 10, KvRead.class),
      op("collective", 11, Collective.class),
      op("load", 12, Load.class),
      op("store", 13, Store.class),
      op("barrier", 14, Barrier.class));

  private static final Map<String, Op> BY_NAME = new LinkedHashMap<>();
  private static final Map<Class<?>, Op> BY_CLASS = new LinkedHashMap<>();
  private static final Op[] BY_TAG = new Op[OPS.size() + 1];

  static {
    for (Op op : OPS) {
      BY_NAME.put(op.name(), op);
      BY_CLASS.put(op.schema().type(), op);
      BY_TAG[op.tag()] = op;
    }
    for (Class<?> c : Instruction.class.getPermittedSubclasses()) {
      if (!BY_CLASS.containsKey(c)) {
        throw new IllegalStateException("no op code for " + c.getSimpleName());
      }
    }
  }

  private OpCodes() {}

  private static Op op(String name, int tag, Class<? extends Instruction> type) {
    RecordSchema schema = new RecordSchema(type);
    for (RecordSchema.Field f : schema.fields()) {
      if (f.name().equals("op")) {
        throw new IllegalStateException(type.getSimpleName() + " has a component named 'op',"
            + " which clashes with the JSON op key");
      }
    }
    return new Op(name, tag, schema);
  }

  /** The trace name of {@code ins}'s kind. */
  public static String name(Instruction ins) {
    return of(ins).name();
  }

  /** All op names, in tag order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  static Op of(Instruction ins) {
    return BY_CLASS.get(ins.getClass());
  }

  static Op byName(String name) {
    return BY_NAME.get(name);
  }

  static Op byTag(int tag) {
    return tag > 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
  }
}
