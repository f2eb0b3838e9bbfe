package io.duplexsim.workloads.serving.requests;

import java.util.SplittableRandom;

/**
 * A seeded synthetic workload: {@code count} requests with input and output lengths drawn from their
 * distributions and arrivals from an arrival process. Input lengths, output lengths and arrival gaps
 * each draw from their own random stream split off the seed, so changing one distribution leaves the
 * others' draws unchanged. With a {@link SharedPrefix}, each prompt is one of its prefixes (drawn from a
 * fourth stream) followed by the sampled input length.
 */
public final class SyntheticRequests implements RequestSource {
  private final int count;
  private final LengthDistribution input;
  private final LengthDistribution output;
  private final ArrivalProcess arrivals;
  private final SplittableRandom inputRng;
  private final SplittableRandom outputRng;
  private final SplittableRandom arrivalRng;
  private final SharedPrefix prefix;
  private final SplittableRandom prefixRng;
  private int produced;
  private double clockNs;

  public SyntheticRequests(int count, LengthDistribution input, LengthDistribution output, ArrivalProcess arrivals,
      long seed) {
    this(count, input, output, arrivals, SharedPrefix.NONE, seed);
  }

  /** As above, each prompt led by one of {@code prefix}'s shared prefixes. */
  public SyntheticRequests(int count, LengthDistribution input, LengthDistribution output, ArrivalProcess arrivals,
      SharedPrefix prefix, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("a synthetic workload needs at least one request, got " + count);
    }
    this.count = count;
    this.input = input;
    this.output = output;
    this.arrivals = arrivals;
    SplittableRandom root = new SplittableRandom(seed);
    inputRng = root.split();
    outputRng = root.split();
    arrivalRng = root.split();
    this.prefix = prefix;
    prefixRng = root.split(); // split last, so the streams above draw as they did before shared prefixes
  }

  @Override
  public RequestSpec next() {
    if (produced == count) {
      return null;
    }
    if (arrivals.concurrency() == 0) {
      clockNs += arrivals.nextGapNs(arrivalRng);
    }
    int in = input.sample(inputRng);
    int out = output.sample(outputRng);
    String id = prefix.choose(prefixRng);
    if (id == null) {
      return RequestSpec.of(produced++, clockNs, in, out);
    }
    return RequestSpec.withPrefix(produced++, clockNs, Math.addExact(prefix.tokens(), in), out, id, prefix.tokens());
  }

  @Override
  public int concurrency() {
    return arrivals.concurrency();
  }
}
