package io.duplexsim.workloads.compiler;

import io.duplexsim.sim.InputException;
import java.nio.file.Path;

/**
 * The MoE gate's decision for one layer of one iteration: which {@code topK} distinct experts each
 * token picks. Routers are stateful streams (seeded or replayed): successive calls give successive
 * iterations' choices, so compile iterations in order for reproducible runs.
 */
public interface ExpertRouter {
  /**
   * Expert ids for {@code tokens} tokens of MoE layer {@code layer}: {@code tokens * topK} ids, token t's
   * choices at {@code [t*topK, (t+1)*topK)}, distinct per token, each in {@code [0, experts)}.
   */
  int[] route(int layer, int tokens, int experts, int topK);

  /**
   * Tokens per expert of the next {@link #route} of these arguments (what the compiler needs to size
   * each expert's GEMMs): the same draws, advancing the stream as {@code route} does.
   */
  default int[] tokensPerExpert(int layer, int tokens, int experts, int topK) {
    return tokensPerExpert(route(layer, tokens, experts, topK), experts);
  }

  /** Tokens per expert of {@code choices}. */
  static int[] tokensPerExpert(int[] choices, int experts) {
    int[] counts = new int[experts];
    for (int e : choices) {
      counts[e]++;
    }
    return counts;
  }

  /**
   * A router from its text form: {@code uniform[:SEED]}, {@code zipf:EXPONENT[:SEED]} or
   * {@code csv:PATH}; InputException naming the forms otherwise.
   */
  static ExpertRouter parse(String spec) {
    String[] p = spec == null ? new String[] {""} : spec.split(":", 2);
    try {
      switch (p[0]) {
        case "uniform":
          return new UniformRouter(p.length > 1 ? Long.parseLong(p[1]) : 1);
        case "zipf":
          if (p.length > 1) {
            String[] q = p[1].split(":", 2);
            return new ZipfRouter(Double.parseDouble(q[0]), q.length > 1 ? Long.parseLong(q[1]) : 1);
          }
          break;
        case "csv":
          if (p.length > 1 && !p[1].isEmpty()) {
            return ReplayRouter.read(Path.of(p[1]));
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new InputException("router: expected uniform[:SEED], zipf:EXPONENT[:SEED] or csv:PATH, got '" + spec + "'");
  }
}
