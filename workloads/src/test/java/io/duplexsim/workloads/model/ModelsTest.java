package io.duplexsim.workloads.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;

/** {@link Models#load}: a preset name or a config.json path. */
class ModelsTest {
  @Test
  void nameLoadsThePreset() {
    assertSame(Models.preset("grok-1"), Models.load("grok-1"));
  }

  @Test
  void jsonPathLoadsAHuggingFaceConfig() {
    String path = HuggingFaceConfigTest.fixture("mixtral-8x7b").toString();
    ModelSpec m = Models.load(path);
    assertEquals("mixtral-8x7b", m.name());
    assertEquals(path, m.source());
  }

  @Test
  void unknownNameListsThePresets() {
    InputException e = assertThrows(InputException.class, () -> Models.load("mixtral-8x8b"));
    assertTrue(e.getMessage().startsWith("unknown model 'mixtral-8x8b'; expected one of [mixtral-8x7b, "),
        e.getMessage());
    assertTrue(e.getMessage().contains("deepseek-v3") && e.getMessage().contains("config.json"), e.getMessage());
  }
}
