package io.duplexsim.units.systolic;

/**
 * Which operand stays in the PEs while the others move (SCALE-Sim's names; input-stationary is not
 * modelled). For Y[m,n] = X[m,k] W[k,n]:
 *
 * <ul>
 *   <li>{@link #WEIGHT_STATIONARY}: a W tile sits in the array, k along the R rows and n along the C
 *       columns; X rows stream in from the left (m is the temporal dimension) and partial sums flow
 *       down and leave the bottom edge.
 *   <li>{@link #OUTPUT_STATIONARY}: each PE owns one Y element, m along the rows and n along the
 *       columns; X streams from the left and W from the top (k is the temporal dimension), then the
 *       finished Y values drain down the columns.
 * </ul>
 */
public enum Dataflow {
  WEIGHT_STATIONARY,
  OUTPUT_STATIONARY
}
