package io.duplexsim.memory.frontend;

/**
 * What a memory request asks for. Each maps to an access command of the standard; PIM requests
 * address a whole bank bundle or every bank of a pseudo-channel.
 */
public enum RequestType {
  /** 32 B read over the pseudo-channel pins (the xPU path). */
  READ("RD", false),
  WRITE("WR", true),
  /** Logic-PIM bank-bundle read: one ALL-RD, 8 banks x 32 B through the wide TSV channel. */
  BUNDLE_READ("ALL-RD", false),
  BUNDLE_WRITE("ALL-WR", true),
  /** Bankgroup-PIM bank-bundle read, consumed on the DRAM die (BG-RD). */
  BUNDLE_READ_BANKGROUP("BG-RD", false),
  /** Bank-PIM all-bank read into the units beside the banks (MACAB). */
  ALLBANK_READ("MACAB", false);

  private final String accessCommand;
  private final boolean write;

  RequestType(String accessCommand, boolean write) {
    this.accessCommand = accessCommand;
    this.write = write;
  }

  /** Name of the standard's command that performs this access. */
  public String accessCommand() {
    return accessCommand;
  }

  public boolean isWrite() {
    return write;
  }

  private static final RequestType[] VALUES = values();

  public static RequestType of(int ordinal) {
    return VALUES[ordinal];
  }
}
