package io.duplexsim.units.interconnect;

import com.fasterxml.jackson.databind.JsonNode;
import io.duplexsim.sim.InputException;
import io.duplexsim.units.BundledYaml;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The registry of named link presets ({@code nvlink}, {@code infiniband}), from the bundled links.yaml. */
public final class Links {
  private static final BundledYaml FILE = new BundledYaml("/io/duplexsim/units/links.yaml");
  private static final Set<String> PRESET_KEYS =
      Set.of("description", "source", "bandwidthGBps", "latencyNs", "pjPerBit", "maxDevices");

  private Links() {}

  /** Names of the bundled presets, in file order. */
  public static List<String> names() {
    return FILE.names();
  }

  /** Loads a preset; InputException naming the choices if there is none called {@code name}. */
  public static LinkSpec load(String name) {
    JsonNode p = FILE.preset("link", name, PRESET_KEYS);
    return new LinkSpec(name, FILE.text(name, p, "description"), FILE.text(name, p, "source"), FILE.number(name, p, "bandwidthGBps"),
        FILE.number(name, p, "latencyNs"), FILE.number(name, p, "pjPerBit"), (int) FILE.number(name, p, "maxDevices"));
  }

  /** Loads a preset and applies {@code overrides} (key to value, keys from {@link LinkSpec#KEYS}) in order. */
  public static LinkSpec load(String name, Map<String, String> overrides) {
    LinkSpec l = load(name);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      l = l.with(e.getKey(), e.getValue());
    }
    return l;
  }



}
