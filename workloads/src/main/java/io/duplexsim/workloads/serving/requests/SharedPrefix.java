package io.duplexsim.workloads.serving.requests;

import io.duplexsim.sim.InputException;
import java.util.SplittableRandom;

/**
 * Shared prompt prefixes for a synthetic workload (a system prompt, few-shot examples): each request's
 * prompt starts with one of {@code count} prefixes of {@code tokens} tokens, chosen uniformly with a
 * seed, followed by its own tokens. {@link #NONE} adds nothing.
 */
public record SharedPrefix(int tokens, int count) {
  public static final SharedPrefix NONE = new SharedPrefix(0, 0);

  public SharedPrefix {
    if (tokens < 0 || count < 0 || (tokens == 0) != (count == 0)) {
      throw new InputException("shared-prefix needs a length and a count both positive, got " + tokens + ":" + count);
    }
  }

  /** {@code LEN:COUNT}, or empty / {@code none} for no shared prefix. */
  public static SharedPrefix parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty() || t.equalsIgnoreCase("none")) {
      return NONE;
    }
    String[] parts = t.split(":", -1);
    try {
      if (parts.length == 2) {
        int len = Integer.parseInt(parts[0].trim());
        int count = Integer.parseInt(parts[1].trim());
        if (len > 0 && count > 0) {
          return new SharedPrefix(len, count);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException("shared-prefix must be LEN:COUNT with both positive (e.g. 512:4), got '" + text + "'");
  }

  /** The prefix id of the next request, drawn from {@code rng}; null without shared prefixes. */
  String choose(SplittableRandom rng) {
    return count == 0 ? null : "shared-" + rng.nextInt(count);
  }
}
