package io.duplexsim.workloads.serving.speculative;

import java.util.function.IntToDoubleFunction;

/**
 * SmartSpec's goodput controller (arXiv 2406.14066): every 20 decode steps it updates a moving average
 * of the per-token acceptance rate, a &lt;- 0.85 a + 0.15 a_observed, a_observed being the rate over those
 * steps' proposals (pooled: one step of a small batch tries a handful of tokens, too few to move the
 * estimate on their own), and picks the proposal length k that maximises the predicted goodput B l(a, k) / (T_draft(k) + T_verify(k)), with
 * l(a, k) = (1 - a^(k+1)) / (1 - a) the expected tokens a request emits per step. k is searched upward
 * from 0 to k_max and the search stops at the first drop; k &gt; 0 must beat k = 0 by 1.1x, so that
 * speculation has to pay clearly for itself.
 *
 * <p>Before the first observation there is no estimate: it runs the configured k until then, and the
 * first observation is the estimate. While k = 0 nothing is proposed and the estimate stays put; k still
 * follows the load (batch size and context) at each decision.
 */
final class SmartSpecController {
  /** The weight of a new observation in the moving average (SmartSpec: a <- 0.85 a + 0.15 a_obs). */
  static final double SMOOTHING = 0.15;
  /** How much better than k = 0 a k > 0 must predict (SmartSpec's bias towards not speculating). */
  static final double BIAS = 1.1;
  /** Decode steps between decisions. */
  static final int INTERVAL = 20;

  private final StepPricer pricer;
  private final int kMax;
  private int k;
  private double acceptance = Double.NaN;
  private int steps;
  private int lastBatch;
  private int lastContext;
  /** Since the last decision: proposed tokens accepted, and proposals that met a rejection. */
  private long windowAccepted;
  private long windowRejected;

  SmartSpecController(StepPricer pricer, int initialK, int kMax) {
    this.pricer = pricer;
    this.k = initialK;
    this.kMax = kMax;
  }

  int k() {
    return k;
  }

  /** The acceptance estimate, NaN before the first observation. */
  double acceptance() {
    return acceptance;
  }

  /**
   * One decode step: {@code batch} decoding requests at mean context {@code context}; {@code accepted}
   * proposed tokens accepted and {@code rejected} requests whose proposals met a rejection (the per-token
   * trials observed: a token after a rejection is never tried).
   */
  void observe(int batch, int context, long accepted, long rejected) {
    windowAccepted += accepted;
    windowRejected += rejected;
    lastBatch = batch;
    lastContext = context;
    if (++steps % INTERVAL != 0) {
      return;
    }
    if (windowAccepted + windowRejected > 0) {
      double observed = (double) windowAccepted / (windowAccepted + windowRejected);
      acceptance = Double.isNaN(acceptance) ? observed : (1 - SMOOTHING) * acceptance + SMOOTHING * observed;
    }
    windowAccepted = 0;
    windowRejected = 0;
    if (!Double.isNaN(acceptance) && batch > 0) {
      k = choose(acceptance, kMax, kk -> goodput(lastBatch, lastContext, acceptance, kk));
    }
  }

  /** Predicted tokens per ns of a step of {@code batch} requests proposing k tokens each. */
  double goodput(int batch, int context, double a, int kk) {
    return batch * expectedTokens(a, kk) / (pricer.draftNs(batch, context, kk) + pricer.verifyNs(batch, context, kk));
  }

  /** SmartSpec's search: upward from 0, stop at the first drop, then k > 0 only if it beats k = 0 by the bias. */
  static int choose(double a, int kMax, IntToDoubleFunction goodput) {
    double g0 = goodput.applyAsDouble(0);
    double previous = g0;
    int best = 0;
    for (int kk = 1; kk <= kMax; kk++) {
      double g = goodput.applyAsDouble(kk);
      if (g < previous) {
        break;
      }
      previous = g;
      best = kk;
    }
    return previous > BIAS * g0 ? best : 0;
  }

  /** l(a, k) = (1 - a^(k+1)) / (1 - a): accepted prefix plus the bonus token, expected; k + 1 at a = 1. */
  static double expectedTokens(double a, int k) {
    return a >= 1 ? k + 1 : (1 - Math.pow(a, k + 1)) / (1 - a);
  }
}
