package io.duplexsim.memory;

/**
 * Told whenever a request leaves a controller's queue (its access command issued), that is, whenever
 * a queue slot frees: the lanes of a parallel memory simulation learn each other's queue space this
 * way ({@link MemorySimulation}).
 */
@FunctionalInterface
public interface DepartureListener {
  /** {@code queue} is the controller's queue index ({@code PseudoChannelController.queueIndex}). */
  void onDeparture(long cycle, int pseudoChannel, int queue);
}
