package io.duplexsim.validation.run;

import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.serving.kvshare.KvShareConfig;
import io.duplexsim.workloads.serving.requests.LengthDistribution;
import io.duplexsim.workloads.serving.requests.MultiTenantWorkload;
import io.duplexsim.workloads.serving.requests.SharedPrefix;

/**
 * A scenario's KVShare keys ({@code kvshare}, {@code kvshare-recompute-ratio},
 * {@code kvshare-cache-aware-scheduler}, {@code kvshare-cache-fraction}) and multi-tenant workload keys
 * ({@code tenants}, {@code fragments}, {@code fragment-len}, {@code fragments-per-prompt},
 * {@code fragment-popularity}), read into their typed forms.
 */
final class KvShareScenario {
  private KvShareScenario() {}

  /** KVShare's configuration, or null when {@code kvshare} is false (full KV recomputation). */
  static KvShareConfig config(Scenario s) {
    // checked even when off, so that a bad value never passes silently
    KvShareConfig c = new KvShareConfig(number(s, "kvshare-recompute-ratio"),
        KvShareConfig.DEFAULT_DECODE_RECOMPUTE_TOKENS, s.bool("kvshare-cache-aware-scheduler"),
        number(s, "kvshare-cache-fraction"));
    return s.bool("kvshare") ? c : null;
  }

  /** The multi-tenant workload, or null when {@code tenants} is 0. */
  static MultiTenantWorkload workload(Scenario s) {
    int tenants = nonNegativeInt(s, "tenants");
    if (tenants == 0) {
      return null;
    }
    if (s.trace() != null) {
      throw new InputException("tenants: a multi-tenant workload is synthetic; it cannot be combined with trace");
    }
    if (SharedPrefix.parse(s.sharedPrefix()) != SharedPrefix.NONE) {
      throw new InputException("tenants: a multi-tenant workload has its own system prompts; set shared-prefix to none");
    }
    return new MultiTenantWorkload(tenants, s.positiveInt("fragments"),
        LengthDistribution.parse(s.text("fragment-len"), "fragment-len"),
        LengthDistribution.parse(s.text("fragments-per-prompt"), "fragments-per-prompt"),
        s.nonNegativeDouble("fragment-popularity"));
  }

  /** A number (range checks are the config's, which name the key). */
  private static double number(Scenario s, String key) {
    try {
      return Double.parseDouble(s.text(key).trim());
    } catch (NumberFormatException e) {
      throw new InputException(key + " must be a number, got '" + s.text(key) + "'", e);
    }
  }

  private static int nonNegativeInt(Scenario s, String key) {
    try {
      int x = Integer.parseInt(s.text(key).trim());
      if (x >= 0) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InputException(key + " must be a non-negative integer, got '" + s.text(key) + "'");
  }
}
