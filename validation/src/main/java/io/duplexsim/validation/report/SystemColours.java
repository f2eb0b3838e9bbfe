package io.duplexsim.validation.report;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One colour per system, the same in every chart: the paper's systems have fixed colours (the GPUs in
 * greys, Bank-PIM purple, the Duplex variants blue, green and red); any other series (a sweep's levels)
 * takes the remaining colours of the Tableau-10 palette in the order given.
 */
public final class SystemColours {
  private static final Map<String, Color> FIXED = Map.of(
      "gpu", new Color(0x4d4d4d),
      "2gpu", new Color(0xa6a6a6),
      "bank-pim", new Color(0x9467bd),
      "duplex", new Color(0x1f77b4),
      "duplex-pe", new Color(0x2ca02c),
      "duplex-pe-et", new Color(0xd62728));
  private static final Color[] OTHERS = {new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2),
      new Color(0x17becf), new Color(0xbcbd22), new Color(0x7f7f7f), new Color(0xaec7e8), new Color(0xffbb78)};

  private SystemColours() {}

  /** The fixed colour of a paper system, or null for any other name. */
  public static Color fixed(String system) {
    return FIXED.get(system);
  }

  /** A colour for each series: fixed ones for the paper's systems, the others in turn for the rest. */
  public static Map<String, Color> assign(List<String> series) {
    Map<String, Color> m = new LinkedHashMap<>();
    int next = 0;
    for (String s : series) {
      Color c = FIXED.get(s);
      if (c == null) {
        c = OTHERS[next++ % OTHERS.length];
      }
      m.put(s, c);
    }
    return m;
  }
}
