package io.duplexsim.units.xpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;
import io.duplexsim.units.device.DevicePreset;
import io.duplexsim.units.device.Devices;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact results of small xPU runs (every field of the OpResult, doubles to the last bit), recorded
 * before the speed work of 2026-11-26 (branch speed2). Optimisations of the controllers, the
 * scheduler or the xPU's port must leave them unchanged; a deliberate change of the model updates
 * them here.
 */
class XpuPinnedResultsTest {
  private static final DevicePreset GPU = Devices.load("gpu");
  private static final MemoryConfig ONE_STACK = MemoryConfig.builder("HBM3-5.2").stacks(1).build();
  private static final XpuConfig SLICE = XpuConfig.h100().withSms(26);

  static Stream<Arguments> cases() {
    XpuConfig h100 = GPU.xpuConfig().orElseThrow();
    MemoryConfig gpu = GPU.memoryConfig();
    return Stream.of(
        Arguments.of("gpu gemm 64x1024x2048",
            (Supplier<OpResult>) () -> XpuGemm.run(h100, gpu, 64, 1024, 2048, TensorFormat.BF16),
            "OpResult[unitCycles=4059, timeNs=2218.032786885246, flops=268435456, bytes=4587520, "
                + "achievedTflops=121.02411541759054, achievedGBps=2068.283222468588, "
                + "busyFraction=0.12231703584253473, bound=memory, energyPj=1.9411079167999998E8, "
                + "energyBreakdownPj="
                + "{dram.activate=4654080.0, dram.refresh=0.0, dram.array.xpu=9.835642879999998E7, "
                + "dram.array.logicPim=0.0, dram.array.bankgroupPim=0.0, dram.array.bankPim=0.0, "
                + "tsv=1.835008E7, interposer=1.1010048E7, dram.background=0.0, xpu.mac=6.174015488E7}]"),
        Arguments.of("slice gemv 1x2048x2048",
            (Supplier<OpResult>) () -> XpuGemm.run(SLICE, ONE_STACK, 1, 2048, 2048, TensorFormat.BF16),
            "OpResult[unitCycles=27445, timeNs=14997.267759562841, flops=8388608, bytes=8396800, "
                + "achievedTflops=0.5593424171980325, achievedGBps=559.8886500273273, "
                + "busyFraction=0.0028700758159675996, bound=memory, energyPj=2.5015666383999997E8, "
                + "energyBreakdownPj="
                + "{dram.activate=8875476.0, dram.refresh=5584896.0, dram.array.xpu=1.8002739199999997E8, "
                + "dram.array.logicPim=0.0, dram.array.bankgroupPim=0.0, dram.array.bankPim=0.0, "
                + "tsv=3.35872E7, interposer=2.015232E7, dram.background=0.0, xpu.mac=1929379.84}]"),
        Arguments.of("slice gemm fp8 256x1024x1024",
            (Supplier<OpResult>) () -> XpuGemm.run(SLICE, ONE_STACK, 256, 1024, 1024, TensorFormat.FP8),
            "OpResult[unitCycles=8579, timeNs=4687.978142076503, flops=536870912, bytes=1835008, "
                + "achievedTflops=114.52077968994055, achievedGBps=391.42844620585146, "
                + "busyFraction=0.29381226070816935, bound=memory, energyPj=1.7818111648000002E8, "
                + "energyBreakdownPj="
                + "{dram.activate=1752552.0, dram.refresh=1861632.0, dram.array.xpu=3.9342571519999996E7, "
                + "dram.array.logicPim=0.0, dram.array.bankgroupPim=0.0, dram.array.bankPim=0.0, "
                + "tsv=7340032.0, interposer=4404019.2, dram.background=0.0, xpu.mac=1.2348030976E8}]"),
        Arguments.of("gpu stream 4 MiB in, 4 MiB out",
            (Supplier<OpResult>) () -> XpuStream.run(h100, gpu, 4L << 20, 4L << 20, 1L << 22),
            "OpResult[unitCycles=5003, timeNs=2733.879781420765, flops=4194304, bytes=8388608, "
                + "achievedTflops=1.534194747151709, achievedGBps=3068.389494303418, "
                + "busyFraction=0.10233859684189486, bound=memory, energyPj=2.4392804863999996E8, "
                + "energyBreakdownPj="
                + "{dram.activate=9424512.0, dram.refresh=0.0, dram.array.xpu=1.7985175551999998E8, "
                + "dram.array.logicPim=0.0, dram.array.bankgroupPim=0.0, dram.array.bankPim=0.0, "
                + "tsv=3.3554432E7, interposer=2.01326592E7, dram.background=0.0, xpu.vector=964689.92}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resultIsUnchanged(String name, Supplier<OpResult> run, String expected) {
    assertEquals(expected, run.get().toString());
  }
}
