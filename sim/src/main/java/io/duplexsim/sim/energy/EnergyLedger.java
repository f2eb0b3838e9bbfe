package io.duplexsim.sim.energy;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Energy posted by components, in picojoules, by category ("dram.act", "tsv", "mac", ...).
 * Categories are registered once and posted to by index; totals never go negative.
 */
public final class EnergyLedger {
  private final Map<String, Integer> index = new LinkedHashMap<>();
  private String[] names = new String[8];
  private double[] picojoules = new double[8];

  public int category(String name) {
    Integer i = index.get(name);
    if (i != null) {
      return i;
    }
    int id = index.size();
    if (id == names.length) {
      names = Arrays.copyOf(names, id * 2);
      picojoules = Arrays.copyOf(picojoules, id * 2);
    }
    names[id] = name;
    index.put(name, id);
    return id;
  }

  public void add(int category, double pJ) {
    if (!(pJ >= 0)) {
      throw new IllegalArgumentException("energy posted to " + names[category] + " must be >= 0, got " + pJ);
    }
    picojoules[category] += pJ;
  }

  public void add(String category, double pJ) {
    add(category(category), pJ);
  }

  public double get(String category) {
    Integer i = index.get(category);
    return i == null ? 0 : picojoules[i];
  }

  public double totalPj() {
    double t = 0;
    for (int i = 0; i < index.size(); i++) {
      t += picojoules[i];
    }
    return t;
  }

  /** Categories in registration order with their totals in pJ. */
  public Map<String, Double> byCategory() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < index.size(); i++) {
      m.put(names[i], picojoules[i]);
    }
    return Collections.unmodifiableMap(m);
  }
}
