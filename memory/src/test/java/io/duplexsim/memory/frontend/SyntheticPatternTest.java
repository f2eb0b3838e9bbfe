package io.duplexsim.memory.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.frontend.SyntheticPattern.PatternParams;
import io.duplexsim.sim.InputException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticPatternTest {
  private static final PatternParams DEFAULTS = PatternParams.defaults();

  private static boolean same(RequestTrace a, RequestTrace b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.address(i) != b.address(i) || a.type(i) != b.type(i) || a.issueCycle(i) != b.issueCycle(i)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void defaults() {
    assertEquals(1L << 30, DEFAULTS.footprintBytes());
    assertEquals(8192, DEFAULTS.strideBytes());
    assertEquals(2.0 / 3.0, DEFAULTS.readFraction(), 1e-12);
    assertEquals(32, DEFAULTS.accessBytes());
  }

  @Test
  void sameSeedSameTraceForEveryPattern() {
    for (SyntheticPattern p : SyntheticPattern.values()) {
      RequestTrace a = p.generate(5000, 42, DEFAULTS);
      RequestTrace b = p.generate(5000, 42, DEFAULTS);
      assertEquals(5000, a.size(), p.key());
      assertTrue(same(a, b), p.key());
      for (int i = 0; i < a.size(); i++) {
        assertEquals(-1, a.issueCycle(i));
      }
    }
  }

  @Test
  void differentSeedsDifferForRandomPatterns() {
    for (SyntheticPattern p : new SyntheticPattern[] {SyntheticPattern.RANDOM, SyntheticPattern.MIX}) {
      assertFalse(same(p.generate(1000, 1, DEFAULTS), p.generate(1000, 2, DEFAULTS)), p.key());
    }
  }

  @Test
  void streamIsSequentialReads() {
    RequestTrace t = SyntheticPattern.STREAM.generate(10_000, 7, DEFAULTS);
    for (int i = 0; i < t.size(); i++) {
      assertEquals(32L * i, t.address(i));
      assertEquals(RequestType.READ, t.type(i));
    }
    RequestTrace w = SyntheticPattern.WRITE_STREAM.generate(1000, 7, DEFAULTS);
    for (int i = 0; i < w.size(); i++) {
      assertEquals(32L * i, w.address(i));
      assertEquals(RequestType.WRITE, w.type(i));
    }
  }

  @Test
  void streamWrapsAtFootprint() {
    RequestTrace t = SyntheticPattern.STREAM.generate(100, 1, DEFAULTS.withFootprintBytes(1024));
    for (int i = 0; i < t.size(); i++) {
      assertEquals(32L * (i % 32), t.address(i));
    }
  }

  @Test
  void bundleStreamAdvances256Bytes() {
    RequestTrace t = SyntheticPattern.BUNDLE_STREAM.generate(1000, 1, DEFAULTS);
    for (int i = 0; i < t.size(); i++) {
      assertEquals(256L * i, t.address(i));
      assertEquals(RequestType.BUNDLE_READ, t.type(i));
    }
  }

  @Test
  void stridedSpacing() {
    RequestTrace t = SyntheticPattern.STRIDED.generate(1000, 1, DEFAULTS);
    for (int i = 0; i < t.size(); i++) {
      assertEquals(8192L * i, t.address(i));
      assertEquals(RequestType.READ, t.type(i));
    }
    PatternParams p = DEFAULTS.withStrideBytes(4096).withFootprintBytes(64 * 1024);
    RequestTrace s = SyntheticPattern.STRIDED.generate(100, 1, p);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < s.size(); i++) {
      if (i % 16 != 0) {
        assertEquals(4096, s.address(i) - s.address(i - 1), "spacing at " + i);
      }
      assertTrue(s.address(i) >= 0 && s.address(i) + 32 <= p.footprintBytes());
      assertEquals(0, s.address(i) % 32);
      assertTrue(seen.add(s.address(i)), "passes after a wrap touch new addresses");
    }
    assertEquals(32, s.address(16));
  }

  @Test
  void mixReadFractionWithinOnePercent() {
    RequestTrace t = SyntheticPattern.MIX.generate(100_000, 3, DEFAULTS);
    long reads = 0;
    for (int i = 0; i < t.size(); i++) {
      if (t.type(i) == RequestType.READ) {
        reads++;
      } else {
        assertEquals(RequestType.WRITE, t.type(i));
      }
    }
    assertEquals(2.0 / 3.0, reads / 100_000.0, 0.01);
    RequestTrace h = SyntheticPattern.MIX.generate(100_000, 3, DEFAULTS.withReadFraction(0.25));
    long r = 0;
    for (int i = 0; i < h.size(); i++) {
      r += h.type(i) == RequestType.READ ? 1 : 0;
    }
    assertEquals(0.25, r / 100_000.0, 0.01);
  }

  @Test
  void randomAddressesAlignedAndInsideFootprint() {
    PatternParams p = DEFAULTS.withFootprintBytes(1 << 20);
    for (SyntheticPattern pat : SyntheticPattern.values()) {
      RequestTrace t = pat.generate(100_000, 11, p);
      long max = 0;
      for (int i = 0; i < t.size(); i++) {
        long a = t.address(i);
        int unit = pat == SyntheticPattern.BUNDLE_STREAM ? 256 : 32;
        assertEquals(0, a % unit, pat.key() + " alignment at " + i);
        assertTrue(a >= 0 && a + unit <= p.footprintBytes(), pat.key() + " footprint at " + i + ": " + a);
        max = Math.max(max, a);
      }
      if (pat == SyntheticPattern.RANDOM || pat == SyntheticPattern.MIX) {
        assertTrue(max > p.footprintBytes() * 0.99, pat.key() + " covers the footprint");
      }
    }
  }

  @Test
  void namesAndBadParameters() {
    assertEquals(SyntheticPattern.BUNDLE_STREAM, SyntheticPattern.byName("bundle-stream"));
    assertEquals(SyntheticPattern.WRITE_STREAM, SyntheticPattern.byName("write-stream"));
    assertEquals(6, SyntheticPattern.names().size());
    InputException e = assertThrows(InputException.class, () -> SyntheticPattern.byName("zigzag"));
    assertTrue(e.getMessage().contains("zigzag") && e.getMessage().contains("bundle-stream"));
    assertThrows(InputException.class, () -> DEFAULTS.withReadFraction(1.5));
    assertThrows(InputException.class, () -> DEFAULTS.withStrideBytes(0));
    assertThrows(InputException.class, () -> DEFAULTS.withStrideBytes(100));
    assertThrows(InputException.class, () -> DEFAULTS.withFootprintBytes(16));
    assertThrows(InputException.class, () -> SyntheticPattern.STREAM.generate(0, 1, DEFAULTS));
  }
}
