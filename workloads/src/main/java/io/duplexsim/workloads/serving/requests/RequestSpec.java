package io.duplexsim.workloads.serving.requests;

import it.unimi.dsi.fastutil.ints.IntList;
import it.unimi.dsi.fastutil.ints.IntLists;
import java.util.List;

/**
 * One request as a workload describes it, before any serving happens.
 *
 * @param id position in the workload, from 0
 * @param arrivalNs when it arrives; ignored by closed-loop sources, whose requests arrive when a slot frees
 * @param inputTokens prompt length
 * @param outputTokens tokens to generate (the first comes out of the prefill)
 * @param tokenIds the prompt's token ids when a trace gives them (empty otherwise), kept for prefix caching
 * @param prefixId shared-prefix id when a trace gives one, else null
 * @param chunkIds retrieved-chunk ids when a trace gives them (empty otherwise), kept for chunk caching
 * @param prefixTokens how many leading prompt tokens are the shared prefix {@code prefixId} names (0 when
 *     unknown: the prefix then shares nothing, since without a length no block can be proven equal)
 * @param fragments shared fragments anywhere in the prompt, in prompt order and not overlapping, when a
 *     multi-tenant workload gives them (empty otherwise), kept for KVShare's fragment reuse
 */
public record RequestSpec(long id, double arrivalNs, int inputTokens, int outputTokens, IntList tokenIds,
    String prefixId, List<String> chunkIds, int prefixTokens, List<PromptFragment> fragments) {
  public RequestSpec {
    if (inputTokens < 1 || outputTokens < 1) {
      throw new IllegalArgumentException("request " + id + ": input and output tokens must be >= 1, got "
          + inputTokens + " and " + outputTokens);
    }
    if (!(arrivalNs >= 0)) {
      throw new IllegalArgumentException("request " + id + ": arrival must be >= 0, got " + arrivalNs);
    }
    tokenIds = IntLists.unmodifiable(tokenIds == null ? IntList.of() : IntList.of(tokenIds.toIntArray()));
    chunkIds = chunkIds == null ? List.of() : List.copyOf(chunkIds);
    if (prefixTokens < 0 || prefixTokens > inputTokens || (prefixTokens > 0 && prefixId == null)) {
      throw new IllegalArgumentException("request " + id + ": a shared prefix needs an id and 0 <= length <= input"
          + " tokens, got " + prefixId + " of " + prefixTokens + " tokens with " + inputTokens + " input tokens");
    }
    fragments = fragments == null ? List.of() : List.copyOf(fragments);
    int end = 0;
    for (PromptFragment f : fragments) {
      if (f.offset() < end || f.end() > inputTokens) {
        throw new IllegalArgumentException("request " + id + ": fragments must be in prompt order, not overlap and end"
            + " within its " + inputTokens + " input tokens, got " + fragments);
      }
      end = f.end();
    }
  }

  /** A request without fragments. */
  public RequestSpec(long id, double arrivalNs, int inputTokens, int outputTokens, IntList tokenIds, String prefixId,
      List<String> chunkIds, int prefixTokens) {
    this(id, arrivalNs, inputTokens, outputTokens, tokenIds, prefixId, chunkIds, prefixTokens, null);
  }

  /** A request without a known shared-prefix length. */
  public RequestSpec(long id, double arrivalNs, int inputTokens, int outputTokens, IntList tokenIds, String prefixId,
      List<String> chunkIds) {
    this(id, arrivalNs, inputTokens, outputTokens, tokenIds, prefixId, chunkIds, 0);
  }

  /** A synthetic request: lengths and arrival only. */
  public static RequestSpec of(long id, double arrivalNs, int inputTokens, int outputTokens) {
    return new RequestSpec(id, arrivalNs, inputTokens, outputTokens, null, null, null);
  }

  /** A synthetic request whose first {@code prefixTokens} prompt tokens are the shared prefix {@code prefixId}. */
  public static RequestSpec withPrefix(long id, double arrivalNs, int inputTokens, int outputTokens, String prefixId,
      int prefixTokens) {
    return new RequestSpec(id, arrivalNs, inputTokens, outputTokens, null, prefixId, null, prefixTokens);
  }

  /** A synthetic request whose prompt holds the shared {@code fragments}, the rest its own tokens. */
  public static RequestSpec withFragments(long id, double arrivalNs, int inputTokens, int outputTokens,
      List<PromptFragment> fragments) {
    return new RequestSpec(id, arrivalNs, inputTokens, outputTokens, null, null, null, 0, fragments);
  }

  /** KV the request needs at its longest: the prompt and every generated token but the last. */
  public int peakKvTokens() {
    return inputTokens + outputTokens - 1;
  }
}
