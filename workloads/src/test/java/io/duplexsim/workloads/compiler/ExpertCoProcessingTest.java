package io.duplexsim.workloads.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.duplexsim.isa.Unit;
import io.duplexsim.isa.WeightFormat;
import org.junit.jupiter.api.Test;

/** The lookup-table greedy of Duplex+PE with a hand-made table. */
class ExpertCoProcessingTest {
  private static final ExpertShape SHAPE = new ExpertShape(4096, 14336, 3, WeightFormat.BF16);
  private static final Unit X = Unit.XPU;
  private static final Unit P = Unit.LOGIC_PIM;
  /** xPU: 10 ns to stream the weights plus 1 ns per token; Logic-PIM: 3 ns per token. */
  private static final UnitCostOracle TABLE = (unit, shape, tokens) -> unit == X ? 10 + tokens : 3.0 * tokens;

  @Test
  void movesTheFewestTokenExpertsFirstAndStopsWhenTheMakespanStopsImproving() {
    // all on xPU: 57. Move e1 (1 token): 46 | 3; e2 (3): 33 | 12; e0 (5): 18 | 27; e3 (8): 0 | 51, worse: stop
    assertArrayEquals(new Unit[] {P, P, P, X}, ExpertCoProcessing.split(new int[] {5, 1, 3, 8}, SHAPE, TABLE, X, P));
  }

  @Test
  void stopsAtTheFirstMoveThatDoesNotHelpEvenIfALaterOneWould() {
    // Logic-PIM is slow for one token here (its fixed cost), so moving the 1-token expert does not help
    UnitCostOracle table = (unit, shape, tokens) -> unit == X ? 10 + tokens : (tokens == 1 ? 100 : 2.0 * tokens);
    assertArrayEquals(new Unit[] {X, X, X}, ExpertCoProcessing.split(new int[] {4, 1, 4}, SHAPE, table, X, P));
  }

  @Test
  void logicPimIsAskedOnlyAboutTheExpertsTheGreedyConsidersMoving() {
    // the first move (1 token) helps, the second (3 tokens) does not: the 30- and 40-token experts'
    // Logic-PIM times (in a real run, long simulations of big shapes) are never needed
    java.util.List<Integer> askedOfPim = new java.util.ArrayList<>();
    UnitCostOracle table = (unit, shape, tokens) -> {
      if (unit == P) {
        askedOfPim.add(tokens);
      }
      return unit == X ? 10 + tokens : (tokens == 1 ? 2.0 : 200.0);
    };
    assertArrayEquals(new Unit[] {X, P, X, X},
        ExpertCoProcessing.split(new int[] {30, 1, 3, 40}, SHAPE, table, X, P));
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(1, 3), askedOfPim);
  }

  @Test
  void expertsWithoutTokensStayPutAndAreNotAsked() {
    UnitCostOracle table = (unit, shape, tokens) -> {
      if (tokens <= 0) {
        throw new AssertionError("asked about an idle expert");
      }
      return unit == X ? 10 + tokens : 3.0 * tokens;
    };
    assertArrayEquals(new Unit[] {X, P, X}, ExpertCoProcessing.split(new int[] {0, 2, 30}, SHAPE, table, X, P));
  }
}
