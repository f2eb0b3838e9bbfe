package io.duplexsim.isa;

/**
 * Attention of a batch of requests in one layer: score (QK^T), softmax and context (PV) fused.
 * Request r has {@code queryTokens[r]} new query tokens attending {@code kvLengths[r]} keys (the
 * new tokens included). GQA: {@code heads} query heads share {@code kvHeads} KV heads (group =
 * heads / kvHeads, the decode Op/B). Q, K, V and output are in {@code format}.
 *
 * <p>flops = 4 * heads * headDim * sum_r pairs_r (2 for QK^T, 2 for PV), where pairs_r = q*kv, or
 * with {@code causal} q*(kv-q) + q(q+1)/2 (query i sees the kv-q old keys and i+1 new ones).
 * Softmax arithmetic is left to {@link Softmax}. bytes = format * (2 * kvHeads * headDim * sum kv
 * (read K and V) + 2 * heads * headDim * sum q (read Q, write output)).
 */
public record Attention(int id, Unit unit, IntSeq deps, IntSeq queryTokens, IntSeq kvLengths,
    int heads, int kvHeads, int headDim, boolean causal, AttentionPhase phase, TensorFormat format,
    Placement kv) implements Instruction {
  public Attention {
    Check.header(id, unit, deps);
    Check.notNull("queryTokens", queryTokens);
    Check.notNull("kvLengths", kvLengths);
    Check.that(!queryTokens.isEmpty(), "queryTokens", "at least one request", queryTokens);
    Check.that(kvLengths.size() == queryTokens.size(), "kvLengths",
        queryTokens.size() + " entries (one per request in queryTokens)", kvLengths);
    for (int r = 0; r < queryTokens.size(); r++) {
      Check.that(queryTokens.get(r) > 0, "queryTokens", "positive integers", queryTokens);
      Check.that(kvLengths.get(r) > 0, "kvLengths", "positive integers", kvLengths);
      Check.that(!causal || kvLengths.get(r) >= queryTokens.get(r), "kvLengths",
          "at least the request's query tokens when causal", kvLengths);
    }
    Check.positive("heads", heads);
    Check.positive("kvHeads", kvHeads);
    Check.that(heads % kvHeads == 0, "kvHeads", "a divisor of heads (" + heads + ")", kvHeads);
    Check.positive("headDim", headDim);
    Check.notNull("phase", phase);
    Check.notNull("format", format);
  }

  public int requests() {
    return queryTokens.size();
  }

  /** Query heads per KV head. */
  public int groupSize() {
    return heads / kvHeads;
  }

  /** Query-key pairs per head, summed over requests (with the causal mask if set). */
  public long pairs() {
    long p = 0;
    for (int r = 0; r < queryTokens.size(); r++) {
      long q = queryTokens.get(r);
      long kvLen = kvLengths.get(r);
      p += causal ? q * (kvLen - q) + q * (q + 1) / 2 : q * kvLen;
    }
    return p;
  }

  @Override
  public long flops() {
    return 4L * heads * headDim * pairs();
  }

  /** Bytes of K and V read. */
  public long kvBytes() {
    return Check.bytes(2.0 * kvHeads * headDim * kvLengths.sum(), format.bytesPerElement());
  }

  @Override
  public long bytes() {
    return kvBytes()
        + Check.bytes(2.0 * heads * headDim * queryTokens.sum(), format.bytesPerElement());
  }

  @Override
  public Attention withHeader(int id, IntSeq deps) {
    return new Attention(id, unit, deps, queryTokens, kvLengths, heads, kvHeads, headDim, causal, phase, format, kv);
  }
}
