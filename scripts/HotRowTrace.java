import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

/**
 * Writes a LoadStore trace (Ramulator 2's format) in which row hits could starve a conflicting request:
 * on every pseudo-channel of one stack, reads cycle over the columns of row 1 of bank 0 (rank 0, bank
 * group 0), and every EVERY-th round reads another row of that bank instead. Addresses follow the
 * default mapping, RoRaBaCoBgCh. For the row-hit cap (README, "memory"):
 *
 * <pre>java -cp validation/target/duplexsim.jar scripts/HotRowTrace.java HBM3-5.2 16 6000 > hot-row.trace
 * scripts/duplexsim memory --trace hot-row.trace --trace-format ramulator --row-hit-cap 16 --json</pre>
 */
public class HotRowTrace {
  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !args[1].matches("[1-9][0-9]*") || !args[2].matches("[1-9][0-9]*")) {
      System.err.println("usage: java -cp duplexsim.jar scripts/HotRowTrace.java STANDARD EVERY ROUNDS > FILE");
      System.exit(2);
    }
    Organization org;
    try {
      org = Standards.load(args[0]).org();
    } catch (RuntimeException e) {
      System.err.println("HotRowTrace: " + e.getMessage());
      System.exit(2);
      return;
    }
    int every = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    int pcs = org.pseudoChannelsPerStack();
    try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII))) {
      for (int i = 0; i < rounds; i++) {
        boolean conflict = i % every == every - 1;
        long row = conflict ? 2 + i / every : 1;
        int column = conflict ? 0 : i % org.columns();
        for (int pc = 0; pc < pcs; pc++) {
          out.write("LD 0x" + Long.toHexString(address(org, pc, row, column)) + "\n");
        }
      }
    }
  }

  /** The byte address of rank 0, bank group 0, bank 0, {@code row}, {@code column} in pseudo-channel {@code pc}. */
  private static long address(Organization org, int pc, long row, int column) {
    long a = row;
    a = a * org.ranks();
    a = a * org.banks();
    a = a * org.columns() + column;
    a = a * org.bankGroups();
    a = a * org.pseudoChannelsPerStack() + pc;
    return a * org.accessBytes();
  }
}
