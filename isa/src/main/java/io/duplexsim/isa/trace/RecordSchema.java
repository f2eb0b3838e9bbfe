package io.duplexsim.isa.trace;

import io.duplexsim.isa.IntSeq;
import io.duplexsim.isa.TensorFormat;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace fields of one record type, taken from its components (names, order, types), so the
 * JSON and binary codecs cover every instruction kind with one piece of code each and cannot drift
 * from the records.
 */
final class RecordSchema {
  /** One field: its name, shape, Java type and accessor; {@code nested} for RECORD fields. */
  record Field(String name, FieldKind kind, Class<?> type, Method accessor, RecordSchema nested) {
    Object get(Object record) {
      try {
        return accessor.invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + name, e);
      }
    }
  }

  private final Class<?> type;
  private final List<Field> fields;
  private final Constructor<?> constructor;

  RecordSchema(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    this.type = type;
    RecordComponent[] comps = type.getRecordComponents();
    List<Field> fs = new ArrayList<>();
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      Class<?> t = comps[i].getType();
      types[i] = t;
      fs.add(new Field(comps[i].getName(), kindOf(t), t, comps[i].getAccessor(),
          kindOf(t) == FieldKind.RECORD ? new RecordSchema(t) : null));
    }
    this.fields = List.copyOf(fs);
    try {
      this.constructor = type.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FieldKind kindOf(Class<?> t) {
    if (t == int.class) {
      return FieldKind.INT;
    } else if (t == long.class) {
      return FieldKind.LONG;
    } else if (t == boolean.class) {
      return FieldKind.BOOLEAN;
    } else if (t.isEnum()) {
      return FieldKind.ENUM;
    } else if (t == IntSeq.class) {
      return FieldKind.INT_SEQ;
    } else if (t == TensorFormat.class) {
      return FieldKind.FORMAT;
    } else if (t.isRecord()) {
      return FieldKind.RECORD;
    }
    throw new IllegalStateException("no trace encoding for field type " + t);
  }

  Class<?> type() {
    return type;
  }

  List<Field> fields() {
    return fields;
  }

  /**
   * Builds the record from values in field order. IllegalArgumentException from its constructor
   * passes through, with nested field names prefixed by {@code prefix} ("weights.").
   */
  Object construct(Object[] values, String prefix) {
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        String msg = String.valueOf(iae.getMessage());
        throw new IllegalArgumentException(
            prefix.isEmpty() ? msg : msg.replace("field '", "field '" + prefix), iae);
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
