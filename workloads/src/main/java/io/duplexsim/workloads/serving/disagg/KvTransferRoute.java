package io.duplexsim.workloads.serving.disagg;

import io.duplexsim.isa.TensorFormat;
import io.duplexsim.sim.InputException;
import io.duplexsim.workloads.model.ModelSpec;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * Which prefill device sends which part of a request's KV to which decode device, per token. Both
 * instances shard KV by head as their tensor parallelism does (a device holds {@code kvHeads / tp}
 * heads, or one head replicated over {@code tp / kvHeads} devices; MLA's latent cache is one shard held
 * whole by every device). Each decode device pulls every shard it holds from a prefill device holding
 * it; among replicas the one matching the decode device's position is used, so transfers spread over
 * the prefill ports. Devices are numbered as in the whole system: the prefill instance's from 0, the
 * decode instance's from {@code firstDecodeDevice}. A multi-node instance keeps one replica of a
 * request's KV per node (data parallelism); the route uses each instance's first node.
 *
 * @param src sending device of each pair
 * @param dst receiving device of each pair
 * @param bytesPerToken bytes of one token's KV each pair carries
 */
public record KvTransferRoute(int[] src, int[] dst, double[] bytesPerToken) {
  public KvTransferRoute {
    if (src.length != dst.length || src.length != bytesPerToken.length || src.length == 0) {
      throw new IllegalArgumentException("a route needs one source, destination and size per pair, at least one pair");
    }
    src = src.clone();
    dst = dst.clone();
    bytesPerToken = bytesPerToken.clone();
  }

  /**
   * The route for {@code model}'s KV in format {@code kv} from a prefill instance of {@code prefillTp}
   * devices per node to a decode instance of {@code decodeTp} devices per node starting at
   * {@code firstDecodeDevice}.
   */
  public static KvTransferRoute of(ModelSpec model, TensorFormat kv, int prefillTp, int decodeTp,
      int firstDecodeDevice) {
    int shards = model.attention().mla() != null ? 1 : model.attention().kvHeads();
    double perShard = model.kvBytesPerToken(kv) / shards;
    check(prefillTp, shards, "prefill-devices", model);
    check(decodeTp, shards, "decode-devices", model);
    IntArrayList src = new IntArrayList();
    IntArrayList dst = new IntArrayList();
    DoubleArrayList bytes = new DoubleArrayList();
    for (int j = 0; j < decodeTp; j++) {
      int first = decodeTp <= shards ? j * (shards / decodeTp) : j / (decodeTp / shards);
      int count = decodeTp <= shards ? shards / decodeTp : 1;
      for (int h = first; h < first + count; h++) {
        int from = prefillTp <= shards ? h / (shards / prefillTp) : h * (prefillTp / shards) + j % (prefillTp / shards);
        int to = firstDecodeDevice + j;
        int k = pair(src, dst, from, to);
        if (k < 0) {
          src.add(from);
          dst.add(to);
          bytes.add(perShard);
        } else {
          bytes.set(k, bytes.getDouble(k) + perShard);
        }
      }
    }
    return new KvTransferRoute(src.toIntArray(), dst.toIntArray(), bytes.toDoubleArray());
  }

  private static void check(int tp, int shards, String key, ModelSpec model) {
    if (tp < 1 || (shards % tp != 0 && tp % shards != 0)) {
      throw new InputException(key + ": " + tp + " devices per node neither divide nor are a multiple of the "
          + shards + " KV heads of model '" + model.name() + "'");
    }
  }

  private static int pair(IntArrayList src, IntArrayList dst, int from, int to) {
    for (int k = 0; k < src.size(); k++) {
      if (src.getInt(k) == from && dst.getInt(k) == to) {
        return k;
      }
    }
    return -1;
  }

  public int pairs() {
    return src.length;
  }

  /** Bytes of a {@code tokens}-token KV that cross the link, all pairs together. */
  public long bytes(int tokens) {
    long b = 0;
    for (int k = 0; k < src.length; k++) {
      b += pairBytes(k, tokens);
    }
    return b;
  }

  /** Bytes pair {@code k} carries for {@code tokens} tokens (whole bytes, rounded up). */
  public long pairBytes(int k, int tokens) {
    return (long) Math.ceil(bytesPerToken[k] * tokens);
  }
}
