package io.duplexsim.workloads.serving.requests;

import io.duplexsim.sim.InputException;

/**
 * The shape of a multi-tenant workload (KVShare's setting): each of {@code tenants} tenants has its own
 * system prompt, and a pool of {@code fragments} shared fragments (documents, few-shot examples) is
 * drawn from by every tenant. A prompt is its tenant's system prompt, then {@code fragmentsPerPrompt}
 * distinct pool fragments by popularity, with the request's own tokens cut at random between and after
 * them (the prompt always ends with some of its own tokens: the question). System prompts and pool
 * fragments take their lengths from {@code fragmentLen}, drawn once per fragment.
 *
 * @param tenants tenants, each with one system prompt
 * @param fragments shared fragments in the pool
 * @param fragmentLen length of each system prompt and pool fragment
 * @param fragmentsPerPrompt pool fragments in one prompt (at most the pool's size: a larger draw is clipped)
 * @param popularity Zipf exponent of the pool fragments' popularity (rank i drawn with weight i^-s;
 *     0 draws uniformly)
 */
public record MultiTenantWorkload(int tenants, int fragments, LengthDistribution fragmentLen,
    LengthDistribution fragmentsPerPrompt, double popularity) {
  public MultiTenantWorkload {
    if (tenants < 1) {
      throw new InputException("tenants must be >= 1 for a multi-tenant workload, got " + tenants);
    }
    if (fragments < 1) {
      throw new InputException("fragments must be >= 1, got " + fragments);
    }
    if (fragmentLen == null || fragmentsPerPrompt == null) {
      throw new InputException("fragment-len and fragments-per-prompt must be given");
    }
    if (!(popularity >= 0) || Double.isInfinite(popularity)) {
      throw new InputException("fragment-popularity must be a non-negative Zipf exponent, got " + popularity);
    }
  }

  /** Draws a pool fragment's id (0 is the most popular) by its popularity. */
  LengthDistribution rankDistribution() {
    return popularity == 0 ? new LengthDistribution.Uniform(1, fragments)
        : new LengthDistribution.Zipf(popularity, 1, fragments);
  }
}
