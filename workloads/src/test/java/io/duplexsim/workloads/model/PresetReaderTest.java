package io.duplexsim.workloads.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.duplexsim.sim.InputException;
import org.junit.jupiter.api.Test;

/** A slip in models.yaml is reported by file and key path, not silently ignored. */
class PresetReaderTest {
  private static final String GOOD = """
      description: d
      source: s
      layers: 2
      dModel: 64
      vocab: 100
      attention: {heads: 4, kvHeads: 2, headDim: 16}
      ffn: {kind: swiglu, size: 128}
      norm: rmsnorm
      tiedEmbeddings: false
      """;

  private static ModelSpec read(String yaml) throws Exception {
    JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    return PresetReader.read("toy", new Fields("models.yaml", "toy.", node));
  }

  private static String error(String yaml) {
    return assertThrows(InputException.class, () -> read(yaml)).getMessage();
  }

  @Test
  void goodPresetReads() throws Exception {
    ModelSpec m = read(GOOD);
    assertEquals(AttentionKind.GQA, m.attentionKind());
    assertEquals(BiasKind.NONE, m.bias());
    assertEquals(PositionKind.ROTARY, m.positions());
  }

  @Test
  void slipsAreNamed() {
    assertEquals("models.yaml: toy.attention.kvheads: unknown key; expected one of [headDim, heads, kvHeads, mla]",
        error(GOOD.replace("kvHeads: 2", "kvHeads: 2, kvheads: 2")));
    assertEquals("models.yaml: toy.attention.kvHeads: expected a divisor of heads 4, got 3",
        error(GOOD.replace("kvHeads: 2", "kvHeads: 3")));
    assertEquals("models.yaml: toy.ffn.kind: expected one of swiglu, geglu, relu, gelu, got 'swish'",
        error(GOOD.replace("swiglu", "swish")));
    assertEquals("models.yaml: missing key 'toy.norm'", error(GOOD.replace("norm: rmsnorm\n", "")));
    assertEquals("models.yaml: missing key 'toy.maxPositions'", error(GOOD + "positions: learned\n"));
    assertEquals("models.yaml: toy.moe.topK: expected at most experts 4, got 5",
        error(GOOD + "moe: {experts: 4, topK: 5}\n"));
  }
}
