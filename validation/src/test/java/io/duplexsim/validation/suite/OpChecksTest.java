package io.duplexsim.validation.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.workloads.model.Models;
import org.junit.jupiter.api.Test;

class OpChecksTest {
  @Test
  void decodeMoeOpBTracksTokensPerExpert() {
    // Mixtral, top-2 of 8: B decode tokens give about B/4 tokens per expert (uniform routing, one seed)
    var mixtral = Models.load("mixtral-8x7b");
    assertEquals(8, OpChecks.moeOpB(mixtral, 32), 8 * 0.2);
    assertEquals(32, OpChecks.moeOpB(mixtral, 128), 32 * 0.2);
  }

  @Test
  void decodeAttentionOpBIsTheGroupSize() {
    assertEquals(4, OpChecks.attentionOpB(Models.load("mixtral-8x7b")), 0.05);
    assertEquals(8, OpChecks.attentionOpB(Models.load("llama-3-70b")), 0.1);
    assertEquals(1, OpChecks.attentionOpB(Models.load("glam")), 0.02);
  }
}
