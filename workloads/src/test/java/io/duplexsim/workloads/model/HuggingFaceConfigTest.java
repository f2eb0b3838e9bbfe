package io.duplexsim.workloads.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.sim.InputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Models#fromHuggingFace}: fixtures shaped like the real config.json files, and bad files. */
class HuggingFaceConfigTest {
  @TempDir
  Path dir;

  static Path fixture(String model) {
    try {
      return Path.of(HuggingFaceConfigTest.class.getResource("/io/duplexsim/workloads/hf/" + model + "/config.json")
          .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each fixture describes the same model as the preset of its folder's name. */
  @ParameterizedTest
  @ValueSource(strings = {"mixtral-8x7b", "llama-3-8b", "deepseek-v3", "gemma-3-1b", "opt-66b"})
  void fixtureMatchesPreset(String name) {
    ModelSpec hf = Models.fromHuggingFace(fixture(name));
    ModelSpec preset = Models.preset(name);
    assertEquals(name, hf.name());
    assertEquals(preset.layers(), hf.layers());
    assertEquals(preset.dModel(), hf.dModel());
    assertEquals(preset.vocab(), hf.vocab());
    assertEquals(preset.attention(), hf.attention());
    assertEquals(preset.ffnKind(), hf.ffnKind());
    assertEquals(preset.ffnSize(), hf.ffnSize());
    assertEquals(preset.moe(), hf.moe());
    assertEquals(preset.norm(), hf.norm());
    assertEquals(preset.bias(), hf.bias());
    assertEquals(preset.positions(), hf.positions());
    assertEquals(preset.tiedEmbeddings(), hf.tiedEmbeddings());
    assertEquals(preset.totalParams(), hf.totalParams());
    assertEquals(preset.activeParams(), hf.activeParams());
    assertEquals(preset.kvBytesPerToken(TensorFormat.BF16), hf.kvBytesPerToken(TensorFormat.BF16));
  }

  @Test
  void headDimDefaultsToHiddenOverHeadsButAnExplicitOneWins() throws IOException {
    assertEquals(128, Models.fromHuggingFace(fixture("llama-3-8b")).attention().headDim());
    // Gemma 3 1B: 1152 / 4 would be 288; its head_dim is 256.
    assertEquals(256, Models.fromHuggingFace(fixture("gemma-3-1b")).attention().headDim());
    Path p = write("config.json", llamaWith("\"num_key_value_heads\": 8,", ""));
    assertEquals(32, Models.fromHuggingFace(p).attention().kvHeads()); // default: as many as heads (MHA)
  }

  @Test
  void tyingDefaultsByModelType() throws IOException {
    assertTrue(Models.fromHuggingFace(fixture("gemma-3-1b")).tiedEmbeddings()); // not in the file
    Path p = write("config.json", llamaWith("\"tie_word_embeddings\": false,", "\"tie_word_embeddings\": true,"));
    assertTrue(Models.fromHuggingFace(p).tiedEmbeddings());
  }

  @Test
  void mlaIsMarkedUnsupported() {
    ModelSpec v3 = Models.fromHuggingFace(fixture("deepseek-v3"));
    assertEquals(AttentionKind.MLA, v3.attentionKind());
    assertThrows(InputException.class, v3::requireCompilable);
  }

  private Path write(String name, String text) throws IOException {
    Path sub = Files.createDirectories(dir.resolve("m"));
    return Files.writeString(sub.resolve(name), text);
  }

  private static String llamaWith(String from, String to) throws IOException {
    String text = Files.readString(fixture("llama-3-8b"));
    assertTrue(text.contains(from), from);
    return text.replace(from, to);
  }

  private String error(String text) throws IOException {
    Path p = write("config.json", text);
    InputException e = assertThrows(InputException.class, () -> Models.fromHuggingFace(p));
    assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
    return e.getMessage();
  }

  private static void mentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "'" + message + "' should mention '" + part + "'");
    }
  }

  @Test
  void missingKeyIsNamed() throws IOException {
    mentions(error(llamaWith("\"hidden_size\": 4096,", "")), "missing key 'hidden_size'");
    mentions(error(llamaWith("\"model_type\": \"llama\",", "")), "missing key 'model_type'");
  }

  @Test
  void wrongTypeIsNamed() throws IOException {
    mentions(error(llamaWith("\"hidden_size\": 4096", "\"hidden_size\": \"4096\"")), "hidden_size",
        "expected a non-negative integer", "\"4096\"");
    mentions(error(llamaWith("\"num_hidden_layers\": 32", "\"num_hidden_layers\": 0")), "num_hidden_layers",
        "positive");
    mentions(error(llamaWith("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": \"no\"")),
        "tie_word_embeddings", "true or false");
  }

  @Test
  void inconsistentHeadsAreNamed() throws IOException {
    mentions(error(llamaWith("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5")), "num_key_value_heads",
        "divisor of num_attention_heads 32", "got 5");
    mentions(error(llamaWith("\"hidden_size\": 4096", "\"hidden_size\": 4100")), "hidden_size",
        "not divisible by num_attention_heads 32", "head_dim");
    String mixtral = Files.readString(fixture("mixtral-8x7b"));
    mentions(error(mixtral.replace("\"num_experts_per_tok\": 2", "\"num_experts_per_tok\": 9")),
        "num_experts_per_tok", "at most num_local_experts 8");
  }

  @Test
  void brokenJsonGivesItsLine() throws IOException {
    mentions(error("{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 4096\n  \"num_hidden_layers\": 32\n}\n"),
        "line 4", "not valid JSON");
    mentions(error("[1, 2]"), "expected a JSON object");
  }

  @Test
  void unknownModelTypeListsTheKnownOnes() throws IOException {
    mentions(error(llamaWith("\"model_type\": \"llama\"", "\"model_type\": \"rwkv\"")), "model_type",
        "'rwkv' is not supported", "llama", "mixtral", "deepseek_v3");
    mentions(error(llamaWith("\"hidden_act\": \"silu\"", "\"hidden_act\": \"tanh\"")), "hidden_act", "silu",
        "'tanh'");
  }

  @Test
  void missingFileIsNamed() {
    Path p = dir.resolve("absent.json");
    InputException e = assertThrows(InputException.class, () -> Models.fromHuggingFace(p));
    assertEquals(p + ": no such file", e.getMessage());
  }
}
