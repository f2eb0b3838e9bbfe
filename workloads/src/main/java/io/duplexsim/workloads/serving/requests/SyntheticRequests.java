package io.duplexsim.workloads.serving.requests;

import java.util.SplittableRandom;

/**
 * A seeded synthetic workload: {@code count} requests with input and output lengths drawn from their
 * distributions and arrivals from an arrival process. Input lengths, output lengths and arrival gaps
 * each draw from their own random stream split off the seed, so changing one distribution leaves the
 * others' draws unchanged.
 */
public final class SyntheticRequests implements RequestSource {
  private final int count;
  private final LengthDistribution input;
  private final LengthDistribution output;
  private final ArrivalProcess arrivals;
  private final SplittableRandom inputRng;
  private final SplittableRandom outputRng;
  private final SplittableRandom arrivalRng;
  private int produced;
  private double clockNs;

  public SyntheticRequests(int count, LengthDistribution input, LengthDistribution output, ArrivalProcess arrivals,
      long seed) {
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
  }

  @Override
  public RequestSpec next() {
    if (produced == count) {
      return null;
    }
    if (arrivals.concurrency() == 0) {
      clockNs += arrivals.nextGapNs(arrivalRng);
    }
    return RequestSpec.of(produced++, clockNs, input.sample(inputRng), output.sample(outputRng));
  }

  @Override
  public int concurrency() {
    return arrivals.concurrency();
  }
}
