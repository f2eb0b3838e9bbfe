package io.duplexsim.workloads.serving.speculative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpeculativeConfigTest {
  @Test
  void noneIsOffAndNeedsNothingElse() {
    assertFalse(SpeculativeConfig.parse("none", "", "", "fixed").enabled());
    assertFalse(SpeculativeConfig.parse("", "", "", "").enabled());
  }

  @Test
  void proposersByName() {
    SpeculativeConfig d = SpeculativeConfig.parse("llama-3.2-1b", "4", "0.7", "smartspec");
    assertEquals(SpeculativeConfig.Proposer.DRAFT_MODEL, d.proposer());
    assertEquals("llama-3.2-1b", d.draftModel());
    assertEquals(4, d.numSpeculativeTokens());
    assertEquals(0.7, d.acceptanceRate());
    assertEquals(SpeculativeConfig.Controller.SMARTSPEC, d.controller());
    for (String name : new String[] {"prompt-lookup", "[ngram]", "ngram"}) {
      SpeculativeConfig p = SpeculativeConfig.parse(name, "3", "1", "fixed");
      assertEquals(SpeculativeConfig.Proposer.PROMPT_LOOKUP, p.proposer());
      assertEquals("[ngram]", p.proposerName());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      llama-3.2-1b | 4  | 1.5   | fixed     | spec-acceptance-rate must be in [0, 1]
      llama-3.2-1b | 4  | -0.1  | fixed     | spec-acceptance-rate must be in [0, 1]
      llama-3.2-1b | 4  | NaN   | fixed     | spec-acceptance-rate must be in [0, 1]
      llama-3.2-1b | 4  | high  | fixed     | spec-acceptance-rate must be in [0, 1]
      llama-3.2-1b | -1 | 0.5   | fixed     | num-speculative-tokens must be an integer in [0, 8]
      llama-3.2-1b | 9  | 0.5   | fixed     | num-speculative-tokens must be an integer in [0, 8]
      llama-3.2-1b | 2.5| 0.5   | fixed     | num-speculative-tokens must be an integer in [0, 8]
      llama-3.2-1b | 4  | 0.5   | adaptive  | spec-controller must be fixed or smartspec
      llama-3.2-1b | '' | 0.5   | fixed     | num-speculative-tokens is required with speculative-model
      llama-3.2-1b | 4  | ''    | fixed     | spec-acceptance-rate is required with speculative-model
      none         | 12 | ''    | fixed     | num-speculative-tokens must be an integer in [0, 8]
      """)
  void badValuesNameTheKey(String model, String k, String rate, String controller, String message) {
    InputException e = assertThrows(InputException.class, () -> SpeculativeConfig.parse(model, k, rate, controller));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
