package io.duplexsim.memory;

import io.duplexsim.memory.frontend.RequestTrace;
import io.duplexsim.memory.frontend.RequestType;
import java.util.SplittableRandom;

/** Small seeded traces for tests (the product's generators live in SyntheticPattern). */
final class TestTraces {
  private TestTraces() {}

  static RequestTrace stream(int n, RequestType type, int unitBytes) {
    RequestTrace t = new RequestTrace("stream");
    for (int i = 0; i < n; i++) {
      t.add((long) i * unitBytes, type);
    }
    return t;
  }

  static RequestTrace random(int n, long seed, double readFraction, long footprint) {
    SplittableRandom r = new SplittableRandom(seed);
    RequestTrace t = new RequestTrace("random-" + seed);
    for (int i = 0; i < n; i++) {
      long a = r.nextLong(footprint / 32) * 32;
      t.add(a, r.nextDouble() < readFraction ? RequestType.READ : RequestType.WRITE);
    }
    return t;
  }

  /** A mix of every request type, including PIM bundle and all-bank accesses. */
  static RequestTrace allTypes(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    RequestTrace t = new RequestTrace("all-types-" + seed);
    RequestType[] types = RequestType.values();
    long cursor = 0;
    for (int i = 0; i < n; i++) {
      RequestType type = types[r.nextInt(types.length)];
      long a = r.nextInt(4) == 0 ? r.nextLong(1L << 30) : cursor;
      cursor += 32;
      t.add(a, type);
    }
    return t;
  }

  static RequestTrace timedRandom(int n, long seed, int meanGap) {
    SplittableRandom r = new SplittableRandom(seed);
    RequestTrace t = new RequestTrace("timed-" + seed);
    long cycle = 0;
    for (int i = 0; i < n; i++) {
      cycle += r.nextInt(2 * meanGap + 1);
      t.add(r.nextLong(1L << 28) & ~31L, r.nextInt(3) == 0 ? RequestType.WRITE : RequestType.READ, cycle);
    }
    return t;
  }
}
