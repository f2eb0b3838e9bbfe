package io.duplexsim.workloads.compiler;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Iterations that exercise the compiler's paths: model, system, strategy and batch (a {@link BatchSpec}):
 * dense and MoE models, one and two nodes, every Duplex strategy, decode-only, prefill-only and mixed.
 */
public final class CompileCases {
  private CompileCases() {}

  public static Stream<Arguments> iterations() {
    return Stream.of(
        Arguments.of("mixtral-8x7b", "gpu-1x4", Strategy.GPU, "decode:32x1024,prefill:1x512"),
        Arguments.of("mixtral-8x7b", "duplex-1x4", Strategy.DUPLEX, "decode:7x300"),
        Arguments.of("mixtral-8x7b", "duplex-1x4", Strategy.DUPLEX_PE, "decode:64x2048,prefill:2x100"),
        Arguments.of("mixtral-8x7b", "duplex-1x4", Strategy.DUPLEX_PE_ET, "decode:16x100,prefill:1x64+32"),
        Arguments.of("grok-1", "duplex-2x8", Strategy.DUPLEX_PE_ET, "decode:32x256,prefill:3x128"),
        Arguments.of("grok-1", "gpu-2x8", Strategy.GPU, "decode:3x256"),
        Arguments.of("glam", "duplex-1x8", Strategy.DUPLEX_PE, "decode:64x512"),
        Arguments.of("llama-3-70b", "gpu-1x4", Strategy.GPU, "decode:16x2048,prefill:1x300"),
        Arguments.of("opt-66b", "duplex-1x4", Strategy.DUPLEX, "prefill:2x77"));
  }
}
