package io.duplexsim.workloads.serving;

import io.duplexsim.workloads.serving.requests.RequestSpec;
import it.unimi.dsi.fastutil.ints.IntList;

/**
 * Identities of a request's full KV blocks for prefix caching, chained as vLLM chains them: block i's
 * hash covers its own tokens and block i-1's hash, so equal hashes mean equal whole prefixes. A block's
 * tokens are known from the trace's token ids, or, for a workload that only names a shared prefix and
 * its length, as (prefix id, block index) inside the prefix; any other block (the rest of the prompt,
 * generated tokens) gets a content unique to the request, so only the request itself can hit it again
 * (after a recompute preemption). 64-bit hashes: n distinct blocks collide with odds about n^2 / 2^65,
 * 3 x 10^-8 for a million blocks, so a hash stands for the content.
 */
final class KvBlockHashes {
  private static final long ROOT = 0x9E3779B97F4A7C15L;
  private static final long UNIQUE = 0xC2B2AE3D27D4EB4FL;

  private KvBlockHashes() {}

  /** Hashes of every block the request can fill: its prompt and generated tokens but the last. */
  static long[] of(RequestSpec spec, int blockSize) {
    int blocks = spec.peakKvTokens() / blockSize;
    long[] h = new long[blocks];
    IntList ids = spec.tokenIds();
    long prefix = spec.prefixId() == null ? 0 : mix(spec.prefixId().hashCode()); // String.hashCode is specified
    long prev = ROOT;
    for (int i = 0; i < blocks; i++) {
      int end = (i + 1) * blockSize;
      long content;
      if (end <= ids.size()) {
        content = ROOT;
        for (int t = i * blockSize; t < end; t++) {
          content = mix(content ^ ids.getInt(t));
        }
      } else if (end <= spec.prefixTokens()) {
        content = mix(prefix ^ mix(i));
      } else {
        content = mix(UNIQUE ^ mix(spec.id() ^ mix(i)));
      }
      prev = mix(prev * 31 + content);
      h[i] = prev;
    }
    return h;
  }

  /** SplitMix64's finaliser: every input bit reaches every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
