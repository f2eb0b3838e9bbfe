package io.duplexsim.workloads.serving.requests;

/**
 * A shared piece of a prompt (a tenant's system prompt, a document, few-shot examples) that other
 * requests may contain too, at any position. KVShare finds such pieces by a rolling hash over token
 * ids; a synthetic workload has no token ids, so the fragment's id stands for its content: two
 * fragments with the same id and length are the same tokens, and so hash alike.
 *
 * @param id the fragment's content id in its workload's pool
 * @param offset where it starts in the prompt (tokens before it)
 * @param length its tokens
 */
public record PromptFragment(int id, int offset, int length) {
  public PromptFragment {
    if (id < 0 || offset < 0 || length < 1) {
      throw new IllegalArgumentException("a prompt fragment needs id >= 0, offset >= 0 and length >= 1, got " + id
          + ", " + offset + ", " + length);
    }
  }

  /** The prompt position just past it. */
  public int end() {
    return offset + length;
  }

  /** The content key a fragment store files it under: id and length together. */
  public long contentKey() {
    return ((long) id << 32) | length;
  }
}
