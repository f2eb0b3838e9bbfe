package io.duplexsim.memory.standard;

/**
 * One DRAM command as data: what it does to rows (opens / closes / accesses / refreshes), which
 * banks it reaches ({@link Scope}), which command bus carries it, and for access commands the data
 * path and the commands that open and close rows for it.
 *
 * @param id index in {@link DramStandard#commands()}
 * @param access {@link Access#NONE}, {@code READ} or {@code WRITE}
 * @param path where accessed data goes: the pseudo-channel pins towards the xPU, the Logic-PIM
 *     units through the wide TSV channel, or the Bank-PIM units beside the banks
 * @param open command that opens the row(s) this command needs, or -1
 * @param close command that closes the wrong row(s), or -1
 * @param autoPrecharge the same access with auto-precharge (closed-page policy), or -1
 */
public record CommandSpec(
    int id,
    String name,
    Scope scope,
    Bus bus,
    boolean opens,
    boolean closes,
    Access access,
    boolean refresh,
    DataPath path,
    int open,
    int close,
    int autoPrecharge) {

  public enum Bus { ROW, COLUMN }

  public enum Access { NONE, READ, WRITE }

  public boolean isAccess() {
    return access != Access.NONE;
  }

  @Override
  public String toString() {
    return name;
  }
}
