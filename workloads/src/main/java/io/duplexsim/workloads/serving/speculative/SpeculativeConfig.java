package io.duplexsim.workloads.serving.speculative;

import io.duplexsim.sim.InputException;
import java.util.Locale;

/**
 * Speculative decoding as a scenario sets it, with vLLM's key names where vLLM has them.
 *
 * @param proposer where proposals come from
 * @param draftModel the draft's preset or config.json with {@link Proposer#DRAFT_MODEL}, else null
 * @param numSpeculativeTokens k, draft tokens proposed per request per step: fixed with the fixed
 *     controller; SmartSpec's starting k, used until it has observed acceptance
 * @param acceptanceRate the probability that the target accepts each proposed token (drawn per token)
 * @param controller how k is chosen
 */
public record SpeculativeConfig(Proposer proposer, String draftModel, int numSpeculativeTokens, double acceptanceRate,
    Controller controller) {
  public static final String MODEL_KEY = "speculative-model";
  public static final String TOKENS_KEY = "num-speculative-tokens";
  public static final String RATE_KEY = "spec-acceptance-rate";
  public static final String CONTROLLER_KEY = "spec-controller";
  /** SmartSpec's largest proposal length (arXiv 2406.14066), also the bound on a fixed k. */
  public static final int K_MAX = 8;

  /** Speculation off. */
  public static final SpeculativeConfig OFF = new SpeculativeConfig(Proposer.NONE, null, 0, 0, Controller.FIXED);

  /** Where the k proposed tokens come from. */
  public enum Proposer {
    NONE,
    /** A smaller model on the same devices decodes k tokens ahead. */
    DRAFT_MODEL,
    /** Model-free n-gram lookup in the prompt (vLLM's "[ngram]"): no draft compute, no draft memory. */
    PROMPT_LOOKUP
  }

  /** How the proposal length is chosen. */
  public enum Controller {
    FIXED,
    /** SmartSpec's goodput controller. */
    SMARTSPEC
  }

  public SpeculativeConfig {
    if (numSpeculativeTokens < 0 || numSpeculativeTokens > K_MAX) {
      throw new InputException(TOKENS_KEY + " must be an integer in [0, " + K_MAX + "], got " + numSpeculativeTokens);
    }
    if (!(acceptanceRate >= 0 && acceptanceRate <= 1)) {
      throw new InputException(RATE_KEY + " must be in [0, 1], got " + acceptanceRate);
    }
    if ((proposer == Proposer.DRAFT_MODEL) != (draftModel != null)) {
      throw new IllegalArgumentException("a draft model name goes with the draft-model proposer only");
    }
  }

  public boolean enabled() {
    return proposer != Proposer.NONE;
  }

  /**
   * From the scenario's text values. {@code model}: none (or empty), prompt-lookup (also vLLM's
   * "[ngram]" and "ngram"), or a model preset / config.json. With speculation on, k and the
   * acceptance rate are required (vLLM too requires num_speculative_tokens); with it off they are
   * still checked if given. InputException naming the key on a bad value.
   */
  public static SpeculativeConfig parse(String model, String tokens, String rate, String controller) {
    String m = model == null ? "" : model.trim();
    Proposer proposer = switch (m.toLowerCase(Locale.ROOT)) {
      case "", "none" -> Proposer.NONE;
      case "prompt-lookup", "[ngram]", "ngram" -> Proposer.PROMPT_LOOKUP;
      default -> Proposer.DRAFT_MODEL;
    };
    Controller c = switch (controller == null ? "" : controller.trim().toLowerCase(Locale.ROOT)) {
      case "", "fixed" -> Controller.FIXED;
      case "smartspec" -> Controller.SMARTSPEC;
      default -> throw new InputException(CONTROLLER_KEY + " must be fixed or smartspec, got '" + controller + "'");
    };
    boolean on = proposer != Proposer.NONE;
    int k = tokens == null || tokens.isBlank() ? required(on, TOKENS_KEY, "an integer in [0, " + K_MAX + "]")
        : integer(tokens);
    double a = rate == null || rate.isBlank() ? required(on, RATE_KEY, "a probability in [0, 1]") : number(rate);
    SpeculativeConfig config = new SpeculativeConfig(proposer, proposer == Proposer.DRAFT_MODEL ? m : null, k, a, c);
    return on ? config : OFF;
  }

  private static int required(boolean on, String key, String what) {
    if (on) {
      throw new InputException(key + " is required with " + MODEL_KEY + ": give " + what);
    }
    return 0;
  }

  private static int integer(String t) {
    try {
      return Integer.parseInt(t.trim());
    } catch (NumberFormatException e) {
      throw new InputException(TOKENS_KEY + " must be an integer in [0, " + K_MAX + "], got '" + t + "'", e);
    }
  }

  private static double number(String t) {
    try {
      return Double.parseDouble(t.trim());
    } catch (NumberFormatException e) {
      throw new InputException(RATE_KEY + " must be in [0, 1], got '" + t + "'", e);
    }
  }

  /** The proposer's name as results print it: the draft model, or vLLM's "[ngram]". */
  public String proposerName() {
    return switch (proposer) {
      case NONE -> "none";
      case DRAFT_MODEL -> draftModel;
      case PROMPT_LOOKUP -> "[ngram]";
    };
  }
}
