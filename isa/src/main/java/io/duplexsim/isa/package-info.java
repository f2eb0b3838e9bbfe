/**
 * The instruction set between workloads and units: value records for data types and quantization
 * formats ({@link io.duplexsim.isa.TensorFormat}, {@link io.duplexsim.isa.WeightFormat}), target
 * units, operand placements in HBM, one record per instruction kind (each reporting its flops and
 * bytes), and the per-device {@link io.duplexsim.isa.InstructionTrace}. Trace files live in
 * {@code trace} (JSON lines and binary), the executor contract in {@code exec}.
 */
package io.duplexsim.isa;
