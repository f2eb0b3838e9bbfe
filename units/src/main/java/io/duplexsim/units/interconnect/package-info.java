/**
 * Links between devices and collectives over them, simulated packet by packet on the clocked
 * scheduler. A {@link io.duplexsim.units.interconnect.Fabric} gives every device an NVLink-class
 * port into its node's switch and an InfiniBand-class NIC across nodes
 * ({@link io.duplexsim.units.interconnect.Links}, links.yaml); a collective compiles to point-to-point
 * transfers with dependencies ({@link io.duplexsim.units.interconnect.CollectivePlanner}), which
 * {@link io.duplexsim.units.interconnect.Port}s cut into packets and serialise at their bandwidth, so
 * flows sharing a port really contend. Start at {@link io.duplexsim.units.interconnect.Interconnect}.
 */
package io.duplexsim.units.interconnect;
