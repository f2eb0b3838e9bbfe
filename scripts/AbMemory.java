import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/**
 * A/B timing of two duplexsim builds on the memory bench's 1M-request traces, alternated in one JVM (each
 * jar in its own class loader), so that a noisy machine's swings fall on both builds alike. Prints, per
 * trace, each build's median and fastest wall time with its ticks and cycles, and the median of the
 * per-round ratios B/A (below 1: B is faster).
 *
 * <pre>java scripts/AbMemory.java ROUNDS A.jar[:THREADS] B.jar[:THREADS] TRACE...</pre>
 *
 * TRACE is stream, random, mix (2:1 reads to writes) or stride (8 KiB). Each build first simulates a
 * 100K-request warm-up and one untimed 1M-request run per trace.
 */
public class AbMemory {
  public static void main(String[] args) throws Exception {
    if (args.length < 4 || !args[0].matches("[1-9][0-9]*")) {
      System.err.println("usage: java scripts/AbMemory.java ROUNDS A.jar[:THREADS] B.jar[:THREADS] "
          + "stream|random|mix|stride...");
      System.exit(2);
    }
    int rounds = Integer.parseInt(args[0]);
    String[][] builds = {args[1].split(":"), args[2].split(":")};
    for (String[] b : builds) {
      if (!new File(b[0]).isFile() || (b.length > 1 && !b[1].matches("[1-9][0-9]*"))) {
        System.err.println("AbMemory: expected an existing jar, optionally ':THREADS', got '" + String.join(":", b) + "'");
        System.exit(2);
      }
    }
    for (int k = 3; k < args.length; k++) {
      String trace = args[k];
      if (!trace.matches("stream|random|mix|stride")) {
        System.err.println("AbMemory: unknown trace '" + trace + "' (stream, random, mix or stride)");
        System.exit(2);
      }
      Build[] b = {new Build(builds[0], trace), new Build(builds[1], trace)};
      for (Build x : b) {
        x.run(x.warmup);
        x.run(x.trace);
      }
      double[][] t = new double[2][rounds];
      String[] shape = new String[2];
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < 2; i++) {
          int j = r % 2 == 0 ? i : 1 - i; // alternate which build goes first
          long start = System.nanoTime();
          Object result = b[j].run(b[j].trace);
          t[j][r] = (System.nanoTime() - start) / 1e9;
          if (r == 0) {
            shape[j] = result.getClass().getMethod("componentTicks").invoke(result) + " ticks, "
                + result.getClass().getMethod("cycles").invoke(result) + " cycles";
          }
        }
      }
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = t[1][r] / t[0][r];
      }
      System.out.printf("%s: A %s; B %s; B/A median %.3f%n", trace, summary(t[0], shape[0]), summary(t[1], shape[1]),
          median(ratio));
    }
  }

  private static String summary(double[] times, String shape) {
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    return String.format("median %.3f s, fastest %.3f s [%s]", median(times), sorted[0], shape);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** One build's memory simulation of one trace, through its own class loader. */
  private static final class Build {
    final Method run;
    final Object config;
    final Object trace;
    final Object warmup;
    final int threads;

    Build(String[] jarAndThreads, String name) throws Exception {
      threads = jarAndThreads.length > 1 ? Integer.parseInt(jarAndThreads[1]) : 1;
      URLClassLoader loader = new URLClassLoader(new URL[] {new File(jarAndThreads[0]).toURI().toURL()},
          ClassLoader.getPlatformClassLoader());
      Class<?> configClass = loader.loadClass("io.duplexsim.memory.MemoryConfig");
      Object builder = configClass.getMethod("builder", String.class).invoke(null, "HBM3-5.2");
      config = builder.getClass().getMethod("build").invoke(builder);
      Class<?> paramsClass = loader.loadClass("io.duplexsim.memory.frontend.SyntheticPattern$PatternParams");
      Object params = paramsClass.getMethod("defaults").invoke(null);
      if (name.equals("mix")) {
        params = paramsClass.getMethod("withReadFraction", double.class).invoke(params, 2.0 / 3.0);
      } else if (name.equals("stride")) {
        params = paramsClass.getMethod("withStrideBytes", long.class).invoke(params, 8192L);
      }
      Class<?> patternClass = loader.loadClass("io.duplexsim.memory.frontend.SyntheticPattern");
      String constant = switch (name) {
        case "mix" -> "MIX";
        case "stride" -> "STRIDED";
        default -> name.toUpperCase();
      };
      Object pattern = patternClass.getField(constant).get(null);
      Method generate = patternClass.getMethod("generate", long.class, long.class, paramsClass);
      trace = generate.invoke(pattern, 1_000_000L, 1L, params);
      warmup = generate.invoke(pattern, 100_000L, 99L, params);
      run = loader.loadClass("io.duplexsim.memory.MemorySimulation").getMethod("run", configClass,
          loader.loadClass("io.duplexsim.memory.frontend.RequestTrace"), int.class);
    }

    Object run(Object requests) throws Exception {
      return run.invoke(null, config, requests, threads);
    }
  }
}
