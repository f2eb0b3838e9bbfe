package io.duplexsim.workloads.serving.requests;

import io.duplexsim.sim.InputException;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded RAG workload (Cache-Craft's setting): each prompt is {@code chunksPerPrompt} distinct chunks
 * retrieved from a corpus with skewed popularity ({@link ChunkPopularity}), in retrieval order, each
 * {@code chunkTokens} long, followed by a question of a sampled length; the output length is sampled too.
 * Requests carry their chunk ids ({@code c<rank>}) and token ids: a chunk's tokens are a function of the
 * chunk alone and a question's of its request alone, so prefix caching finds exactly the prompts that
 * lead with the same chunks. Arrivals, questions, outputs and chunks draw from their own streams split off
 * the seed.
 */
public final class RagRequests implements RequestSource {
  /** Token ids are drawn below a Llama-3-sized vocabulary; only their equality matters. */
  private static final int VOCAB = 128_000;

  private final int count;
  private final ChunkPopularity popularity;
  private final int chunksPerPrompt;
  private final int chunkTokens;
  private final LengthDistribution question;
  private final LengthDistribution output;
  private final ArrivalProcess arrivals;
  private final SplittableRandom arrivalRng;
  private final SplittableRandom questionRng;
  private final SplittableRandom outputRng;
  private final SplittableRandom chunkRng;
  private int produced;
  private double clockNs;

  public RagRequests(int count, ChunkPopularity popularity, int chunksPerPrompt, int chunkTokens,
      LengthDistribution question, LengthDistribution output, ArrivalProcess arrivals, long seed) {
    if (count < 1) {
      throw new InputException("requests must be >= 1, got " + count);
    }
    if (chunksPerPrompt < 1 || chunksPerPrompt > popularity.chunks()) {
      throw new InputException("rag-chunks-per-prompt must be in [1, rag-corpus-chunks = " + popularity.chunks()
          + "], got " + chunksPerPrompt);
    }
    if (chunkTokens < 1) {
      throw new InputException("rag-chunk-tokens must be >= 1, got " + chunkTokens);
    }
    this.count = count;
    this.popularity = popularity;
    this.chunksPerPrompt = chunksPerPrompt;
    this.chunkTokens = chunkTokens;
    this.question = question;
    this.output = output;
    this.arrivals = arrivals;
    SplittableRandom root = new SplittableRandom(seed);
    arrivalRng = root.split();
    questionRng = root.split();
    outputRng = root.split();
    chunkRng = root.split();
  }

  @Override
  public RequestSpec next() {
    if (produced == count) {
      return null;
    }
    if (arrivals.concurrency() == 0) {
      clockNs += arrivals.nextGapNs(arrivalRng);
    }
    int q = question.sample(questionRng);
    int out = output.sample(outputRng);
    IntArrayList ranks = new IntArrayList(chunksPerPrompt);
    while (ranks.size() < chunksPerPrompt) {
      int r = popularity.sample(chunkRng);
      if (!ranks.contains(r)) { // a retriever returns distinct chunks
        ranks.add(r);
      }
    }
    int input = Math.addExact(chunksPerPrompt * chunkTokens, q);
    IntArrayList tokens = new IntArrayList(input);
    List<String> ids = new ArrayList<>(chunksPerPrompt);
    for (int r : ranks) {
      ids.add("c" + r);
      for (int t = 0; t < chunkTokens; t++) {
        tokens.add(token(r, t));
      }
    }
    long id = produced++;
    for (int t = 0; t < q; t++) {
      tokens.add(token(~id, t)); // negative keys: never a chunk's
    }
    return new RequestSpec(id, clockNs, input, out, tokens, null, ids);
  }

  private static int token(long key, int position) {
    long z = key * 0x9E3779B97F4A7C15L + position;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) Math.floorMod(z, (long) VOCAB);
  }

  @Override
  public int concurrency() {
    return arrivals.concurrency();
  }
}
