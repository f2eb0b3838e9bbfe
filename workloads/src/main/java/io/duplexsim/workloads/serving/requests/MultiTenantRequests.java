package io.duplexsim.workloads.serving.requests;

import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded multi-tenant workload ({@link MultiTenantWorkload}): {@code count} requests whose prompts
 * are a tenant's system prompt and shared pool fragments interleaved with the request's own tokens;
 * each request carries its {@link PromptFragment}s. The request's own token count comes from
 * {@code input}, so a prompt is longer than {@code input} by its fragments. Pool fragments have ids
 * 0..fragments-1 (0 the most popular), tenant t's system prompt has id fragments + t.
 *
 * <p>Random streams split off the seed: own-token lengths, output lengths and arrival gaps (drawn as
 * {@link SyntheticRequests} draws them), then the prompt structure (tenant, fragments, cut points) and
 * the fragment lengths, so changing the structure leaves lengths and arrivals unchanged.
 */
public final class MultiTenantRequests implements RequestSource {
  private final int count;
  private final LengthDistribution input;
  private final LengthDistribution output;
  private final ArrivalProcess arrivals;
  private final MultiTenantWorkload workload;
  private final LengthDistribution rank;
  private final SplittableRandom inputRng;
  private final SplittableRandom outputRng;
  private final SplittableRandom arrivalRng;
  private final SplittableRandom structureRng;
  /** Lengths by fragment id: pool fragments, then the tenants' system prompts. */
  private final int[] lengths;
  private final IntOpenHashSet chosen = new IntOpenHashSet();
  private int produced;
  private double clockNs;

  public MultiTenantRequests(int count, LengthDistribution input, LengthDistribution output, ArrivalProcess arrivals,
      MultiTenantWorkload workload, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("a multi-tenant workload needs at least one request, got " + count);
    }
    this.count = count;
    this.input = input;
    this.output = output;
    this.arrivals = arrivals;
    this.workload = workload;
    this.rank = workload.rankDistribution();
    SplittableRandom root = new SplittableRandom(seed);
    inputRng = root.split();
    outputRng = root.split();
    arrivalRng = root.split();
    structureRng = root.split();
    SplittableRandom lengthRng = root.split();
    lengths = new int[workload.fragments() + workload.tenants()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = workload.fragmentLen().sample(lengthRng);
    }
  }

  /** Length of fragment {@code id} (a pool fragment, or a system prompt from id {@code fragments} on). */
  public int fragmentLength(int id) {
    return lengths[id];
  }

  @Override
  public RequestSpec next() {
    if (produced == count) {
      return null;
    }
    if (arrivals.concurrency() == 0) {
      clockNs += arrivals.nextGapNs(arrivalRng);
    }
    int own = input.sample(inputRng);
    int out = output.sample(outputRng);
    int tenant = structureRng.nextInt(workload.tenants());
    int k = Math.min(workload.fragmentsPerPrompt().sample(structureRng), workload.fragments());
    int[] ids = new int[k];
    chosen.clear();
    for (int i = 0; i < k; i++) {
      int id;
      do {
        id = rank.sample(structureRng) - 1;
      } while (!chosen.add(id)); // distinct fragments in one prompt
      ids[i] = id;
    }
    // k cut points in the own tokens but the last, which stays at the end: the question
    int[] cuts = new int[k];
    for (int i = 0; i < k; i++) {
      cuts[i] = structureRng.nextInt(own);
    }
    Arrays.sort(cuts);
    List<PromptFragment> fragments = new ArrayList<>(k + 1);
    int systemId = workload.fragments() + tenant;
    fragments.add(new PromptFragment(systemId, 0, lengths[systemId]));
    int pos = lengths[systemId];
    int ownBefore = 0;
    for (int i = 0; i < k; i++) {
      pos += cuts[i] - ownBefore;
      ownBefore = cuts[i];
      fragments.add(new PromptFragment(ids[i], pos, lengths[ids[i]]));
      pos += lengths[ids[i]];
    }
    int prompt = Math.addExact(pos, own - ownBefore);
    return RequestSpec.withFragments(produced++, clockNs, prompt, out, fragments);
  }

  @Override
  public int concurrency() {
    return arrivals.concurrency();
  }
}
