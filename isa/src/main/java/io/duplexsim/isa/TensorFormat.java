package io.duplexsim.isa;

/**
 * How a tensor is stored: element type plus optional group-wise scales. Group size 0 means no
 * stored scales worth counting (none, per-tensor, or per-channel/per-token scales, which policies.md
 * counts as ~0 bytes per element); group size g &gt; 0 adds one {@code scaleType} scale per g
 * elements. The text form is "bf16" or "int4/g128/fp16".
 */
public record TensorFormat(DataType dataType, int groupSize, DataType scaleType) {
  public static final TensorFormat FP32 = new TensorFormat(DataType.FP32, 0, null);
  public static final TensorFormat BF16 = new TensorFormat(DataType.BF16, 0, null);
  public static final TensorFormat FP16 = new TensorFormat(DataType.FP16, 0, null);
  public static final TensorFormat FP8 = new TensorFormat(DataType.FP8, 0, null);
  public static final TensorFormat INT8 = new TensorFormat(DataType.INT8, 0, null);
  /** W4A16 weights: INT4 in groups of 128 with FP16 scales. */
  public static final TensorFormat INT4_G128_FP16 =
      new TensorFormat(DataType.INT4, 128, DataType.FP16);

  public TensorFormat {
    Check.notNull("dataType", dataType);
    Check.nonNegative("groupSize", groupSize);
    if (groupSize == 0) {
      Check.that(scaleType == null, "scaleType", "none when groupSize is 0", scaleType);
    } else {
      Check.notNull("scaleType", scaleType);
      Check.that(!scaleType.integer(), "scaleType", "a floating-point type", scaleType);
    }
  }

  public static TensorFormat of(DataType dataType) {
    return new TensorFormat(dataType, 0, null);
  }

  /** Bytes per element including scales: INT4 g128 FP16 is 0.5 + 2/128 = 0.515625. */
  public double bytesPerElement() {
    double b = dataType.bytes();
    return groupSize == 0 ? b : b + scaleType.bytes() / groupSize;
  }

  /** The text form, parsed back by {@link #parse}. */
  public String label() {
    return groupSize == 0
        ? dataType.label()
        : dataType.label() + "/g" + groupSize + "/" + scaleType.label();
  }

  /** Parses "bf16" or "int4/g128/fp16"; IllegalArgumentException naming the bad part otherwise. */
  public static TensorFormat parse(String text) {
    String[] parts = text.split("/", -1);
    DataType dt = Names.parse(DataType.class, parts[0]);
    if (dt == null || (parts.length != 1 && parts.length != 3)) {
      throw new IllegalArgumentException("expected a tensor format like 'bf16' or 'int4/g128/fp16'"
          + " (types: " + Names.choices(DataType.class) + "), got '" + text + "'");
    }
    if (parts.length == 1) {
      return of(dt);
    }
    int group;
    try {
      group = parts[1].startsWith("g") ? Integer.parseInt(parts[1].substring(1)) : -1;
    } catch (NumberFormatException e) {
      group = -1;
    }
    DataType scale = Names.parse(DataType.class, parts[2]);
    if (group <= 0 || scale == null) {
      throw new IllegalArgumentException(
          "expected a tensor format like 'int4/g128/fp16', got '" + text + "'");
    }
    return new TensorFormat(dt, group, scale);
  }

  @Override
  public String toString() {
    return label();
  }
}
