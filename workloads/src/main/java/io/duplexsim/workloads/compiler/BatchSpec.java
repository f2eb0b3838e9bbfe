package io.duplexsim.workloads.compiler;

import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of an iteration batch, for the command line and tests: comma-separated groups
 * {@code decode:NxKV} (N requests generating one token each with KV tokens of context, the new one
 * included) and {@code prefill:NxCHUNK[+PRIOR]} (N requests computing a CHUNK-token prompt chunk after
 * PRIOR tokens already cached, 0 by default). Request ids count from 0 in text order.
 */
public final class BatchSpec {
  private static final Pattern GROUP = Pattern.compile("(decode|prefill):(\\d+)x(\\d+)(?:\\+(\\d+))?");

  private BatchSpec() {}

  /** Parses {@code text}; InputException naming the bad group otherwise. */
  public static IterationBatch parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InputException("batch: expected groups like 'decode:32x1024,prefill:1x512', got nothing");
    }
    List<BatchEntry> entries = new ArrayList<>();
    for (String group : text.split(",")) {
      Matcher m = GROUP.matcher(group.strip());
      if (!m.matches()) {
        throw new InputException("batch: expected 'decode:NxKV' or 'prefill:NxCHUNK[+PRIOR]', got '" + group.strip()
            + "'");
      }
      boolean decode = m.group(1).equals("decode");
      int n = number(m.group(2), group);
      int len = number(m.group(3), group);
      int prior = m.group(4) == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(m.group(4)));
      if (n <= 0 || len <= 0 || (decode && m.group(4) != null)) {
        throw new InputException("batch: '" + group.strip() + "' needs positive counts"
            + (decode ? " (decode takes no +PRIOR: KV is the whole context)" : ""));
      }
      for (int i = 0; i < n; i++) {
        entries.add(decode
            ? new BatchEntry(entries.size(), Phase.DECODE, 1, len)
            : new BatchEntry(entries.size(), Phase.PREFILL, len, Math.addExact(prior, len)));
      }
    }
    return new IterationBatch(entries);
  }

  private static int number(String digits, String group) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new InputException("batch: '" + group.strip() + "': " + digits + " is too large");
    }
  }
}
