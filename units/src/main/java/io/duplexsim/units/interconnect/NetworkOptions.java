package io.duplexsim.units.interconnect;

import io.duplexsim.sim.InputException;

/**
 * How the network is simulated.
 *
 * @param packetBytes largest packet a port serialises at once; results are exact to within one
 *     packet's serialisation per hop, and smaller packets cost more events
 * @param clockHz the link clock: hand-overs between ports and latencies are whole cycles of it
 * @param fastForward jump between events (on) or tick every port every cycle (off, for tests)
 */
public record NetworkOptions(long packetBytes, long clockHz, boolean fastForward) {
  /** 16 KiB packets (36 ns on NVLink, 328 ns on InfiniBand), 1 GHz clock (1 ns), fast-forward. */
  public static final NetworkOptions DEFAULT = new NetworkOptions(16 * 1024, 1_000_000_000L, true);

  public NetworkOptions {
    if (packetBytes <= 0) {
      throw new InputException("packet size must be positive, got " + packetBytes);
    }
    if (clockHz <= 0) {
      throw new InputException("link clock must be positive, got " + clockHz + " Hz");
    }
  }

  public NetworkOptions withPacketBytes(long bytes) {
    return new NetworkOptions(bytes, clockHz, fastForward);
  }

  public NetworkOptions withFastForward(boolean on) {
    return new NetworkOptions(packetBytes, clockHz, on);
  }
}
