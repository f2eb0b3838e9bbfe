package io.duplexsim.units.xpu;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.memory.MemoryConfig;
import io.duplexsim.units.OpResult;

public class XpuProbe {
  public static void main(String[] a) {
    MemoryConfig mem = MemoryConfig.builder("HBM3-5.2").stacks(5).build();
    int[][] shapes = a.length > 0 ? new int[][] {{Integer.parseInt(a[0]), Integer.parseInt(a[1]), Integer.parseInt(a[2])}} : new int[][] {{1, 4096, 4096}, {1, 4096, 14336}, {64, 4096, 14336}, {512, 4096, 14336}, {2048, 4096, 4096}};
    for (int[] s : shapes) {
      System.out.println(GemmTiling.choose(XpuConfig.h100(), s[0], s[1], s[2], 32));
      long t0 = System.nanoTime();
      OpResult r = XpuGemm.run(XpuConfig.h100(), mem, s[0], s[1], s[2], TensorFormat.BF16);
      System.out.printf("%d %d %d: %.1f us %.1f TFLOPS %.0f GB/s busy %.3f %s wall %.2fs%n", s[0], s[1], s[2],
          r.timeNs() / 1000, r.achievedTflops(), r.achievedGBps(), r.busyFraction(), r.bound(),
          (System.nanoTime() - t0) / 1e9);
    }
  }
}
