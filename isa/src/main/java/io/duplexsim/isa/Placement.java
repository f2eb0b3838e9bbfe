package io.duplexsim.isa;

/**
 * Where an operand lives in HBM: a range of stacks, a range of pseudo-channels within each of them,
 * optionally one bank bundle (Duplex splits memory into 4 spaces by bundle index so xPU data and
 * Logic-PIM data sit in different bundles; -1 = interleaved over all), a base address and a size.
 * Units use it to pick the channels an access is spread over.
 */
public record Placement(int stackFirst, int stackCount, int pchFirst, int pchCount, int bundle,
    long address, long bytes) {
  public Placement {
    Check.nonNegative("stackFirst", stackFirst);
    Check.positive("stackCount", stackCount);
    Check.nonNegative("pchFirst", pchFirst);
    Check.positive("pchCount", pchCount);
    Check.that(bundle >= -1, "bundle", "a bank bundle index or -1", bundle);
    Check.nonNegative("address", address);
    Check.nonNegative("bytes", bytes);
  }

  /** All pseudo-channels of {@code stacks} stacks from stack 0, interleaved over bundles. */
  public static Placement interleaved(int stacks, int pchPerStack, long address, long bytes) {
    return new Placement(0, stacks, 0, pchPerStack, -1, address, bytes);
  }
}
