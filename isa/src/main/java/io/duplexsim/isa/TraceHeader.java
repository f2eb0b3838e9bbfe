package io.duplexsim.isa;

/**
 * What a trace is: its format version, the device it runs on, and optional labels of the model and
 * iteration it was generated from (null when absent).
 */
public record TraceHeader(int version, String device, String model, String iteration) {
  /** The trace format version this code writes and reads. */
  public static final int CURRENT_VERSION = 1;

  public TraceHeader {
    Check.that(version == CURRENT_VERSION, "version", String.valueOf(CURRENT_VERSION), version);
    Check.notNull("device", device);
    Check.that(!device.isEmpty(), "device", "a non-empty name", "''");
  }

  public static TraceHeader of(String device) {
    return new TraceHeader(CURRENT_VERSION, device, null, null);
  }
}
