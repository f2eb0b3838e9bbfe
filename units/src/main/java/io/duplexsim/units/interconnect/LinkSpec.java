package io.duplexsim.units.interconnect;

import io.duplexsim.sim.InputException;
import java.util.List;
import java.util.Locale;

/**
 * One class of link between a device and its switch ({@code nvlink}, {@code infiniband}), as declared
 * in the bundled {@code links.yaml}. Load with {@link Links#load}.
 *
 * @param name preset name, also the energy category suffix ({@code link.nvlink})
 * @param description one-line description
 * @param source where the numbers come from
 * @param bandwidthGBps bandwidth per direction of one device's port, GB/s (10^9 bytes per second)
 * @param latencyNs one-way latency from a sending port to a receiving port, through the switch
 * @param pjPerBit energy of one bit crossing the link
 * @param maxDevices devices one switch domain of this link can join; 0 for no limit
 */
public record LinkSpec(String name, String description, String source, double bandwidthGBps, double latencyNs,
    double pjPerBit, int maxDevices) {

  /** Keys {@link #with} accepts, as in links.yaml. */
  public static final List<String> KEYS = List.of("bandwidthGBps", "latencyNs", "pjPerBit", "maxDevices");

  public LinkSpec {
    if (!(bandwidthGBps > 0) || Double.isInfinite(bandwidthGBps)) {
      throw new InputException("link " + name + ": bandwidthGBps must be positive, got " + bandwidthGBps);
    }
    if (!(latencyNs >= 0) || Double.isInfinite(latencyNs)) {
      throw new InputException("link " + name + ": latencyNs must be >= 0, got " + latencyNs);
    }
    if (!(pjPerBit >= 0) || Double.isInfinite(pjPerBit)) {
      throw new InputException("link " + name + ": pjPerBit must be >= 0, got " + pjPerBit);
    }
    if (maxDevices < 0) {
      throw new InputException("link " + name + ": maxDevices must be >= 0, got " + maxDevices);
    }
  }

  /** Bandwidth per direction in whole bytes per second (exact arithmetic in the ports uses it). */
  public long bytesPerSecond() {
    return Math.max(1, Math.round(bandwidthGBps * 1e9));
  }

  /** This link with one key replaced; InputException naming the key if it or the value is bad. */
  public LinkSpec with(String key, String value) {
    double v;
    try {
      v = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new InputException("link " + name + "." + key + ": expected a number, got '" + value + "'", e);
    }
    return switch (key) {
      case "bandwidthGBps" -> new LinkSpec(name, description, source, v, latencyNs, pjPerBit, maxDevices);
      case "latencyNs" -> new LinkSpec(name, description, source, bandwidthGBps, v, pjPerBit, maxDevices);
      case "pjPerBit" -> new LinkSpec(name, description, source, bandwidthGBps, latencyNs, v, maxDevices);
      case "maxDevices" -> {
        if (v != Math.rint(v)) {
          throw new InputException("link " + name + ".maxDevices: expected a whole number, got '" + value + "'");
        }
        yield new LinkSpec(name, description, source, bandwidthGBps, latencyNs, pjPerBit, (int) v);
      }
      default -> throw new InputException("link " + name + ": unknown key '" + key + "'; expected one of " + KEYS);
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (%.1f GB/s per direction, %.0f ns, %.2f pJ/bit)", name, bandwidthGBps,
        latencyNs, pjPerBit);
  }
}
