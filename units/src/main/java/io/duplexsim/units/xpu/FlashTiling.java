package io.duplexsim.units.xpu;

import io.duplexsim.isa.Attention;
import java.util.Arrays;

/**
 * The work items of a fused attention kernel and where its tensors live. A (request, KV head) pair
 * has m = GQA group x query tokens rows, token-major with the group's heads of one token adjacent, so
 * one item's query tile of {@code Br} rows holds Br / g tokens of every head of the group and K and V
 * are loaded once for the group (at decode the tile is the g heads, as FlashDecoding does). An item
 * visits KV tiles of {@code Bc} keys; a causal mask drops the tiles wholly past its last row's key and
 * keeps diagonal tiles whole. When the pairs' query tiles do not fill the SMs, each tile's KV range is
 * split over several items (split-KV, FlashDecoding) whose partial outputs are combined.
 *
 * <p>Layout per pair: K and V contiguous [kvLen][headDim], Q and O row-major [m][headDim], each tensor
 * on a 4 KiB boundary.
 */
final class FlashTiling {
  private static final long ALIGN = 4096;
  /** FlashAttention-2's cap on KV splits. */
  private static final int MAX_SPLITS = 128;

  private final int br;
  private final int bc;
  private final int headDim;
  private final double bytesPerElement;
  private final int[] pairRows;
  private final int[] pairKeys;
  private final long[] qBase;
  private final long[] kBase;
  private final long[] vBase;
  private final long[] oBase;
  private final int[] itemPair;
  private final int[] itemFirstRow;
  private final int[] itemRows;
  private final int[] itemTileBegin;
  private final int[] itemTileEnd;
  private final int[] itemBlock;
  private final int[] blockSplits;
  private final int splits;
  private final long macs;
  private final long softmaxElements;

  /** {@code forcedSplits} 0 lets {@link #splitsFor} choose (tests compare other splits). */
  FlashTiling(XpuConfig x, Attention a, int blockKeys, int forcedSplits) {
    br = x.tileM();
    bc = blockKeys;
    headDim = a.headDim();
    bytesPerElement = a.format().bytesPerElement();
    int g = a.groupSize();
    int pairs = a.requests() * a.kvHeads();
    pairRows = new int[pairs];
    pairKeys = new int[pairs];
    qBase = new long[pairs];
    kBase = new long[pairs];
    vBase = new long[pairs];
    oBase = new long[pairs];
    int[] pairOffset = new int[pairs];
    long next = 0;
    int blocks = 0;
    int maxKvTiles = 0;
    for (int r = 0; r < a.requests(); r++) {
      int q = a.queryTokens().get(r);
      int kv = a.kvLengths().get(r);
      for (int h = 0; h < a.kvHeads(); h++) {
        int p = r * a.kvHeads() + h;
        pairRows[p] = g * q;
        pairKeys[p] = kv;
        pairOffset[p] = a.causal() ? kv - q : -1; // query i sees keys up to kv - q + i
        kBase[p] = next;
        vBase[p] = kBase[p] + aligned((long) kv * headDim);
        qBase[p] = vBase[p] + aligned((long) kv * headDim);
        oBase[p] = qBase[p] + aligned((long) g * q * headDim);
        next = oBase[p] + aligned((long) g * q * headDim);
        blocks += ceil(g * q, br);
        maxKvTiles = Math.max(maxKvTiles, ceil(kv, bc));
      }
    }
    // Query blocks (pair, query tile) with the KV tiles they see, longest first (as FlashAttention-3
    // orders causal blocks) so that the last wave is short.
    long[] order = new long[blocks];
    int[] blockPair = new int[blocks];
    int[] blockRow = new int[blocks];
    int[] blockTiles = new int[blocks];
    int b = 0;
    for (int p = 0; p < pairs; p++) {
      for (int row = 0; row < pairRows[p]; row += br) {
        int lastRow = Math.min(pairRows[p], row + br) - 1;
        long lastKey = pairOffset[p] < 0 ? pairKeys[p] - 1 : Math.min(pairKeys[p] - 1L, pairOffset[p] + lastRow / g);
        blockPair[b] = p;
        blockRow[b] = row;
        blockTiles[b] = (int) (lastKey / bc) + 1;
        order[b] = (long) (Integer.MAX_VALUE - blockTiles[b]) << 32 | b;
        b++;
      }
    }
    Arrays.sort(order);
    splits = forcedSplits > 0 ? forcedSplits : splitsFor(blocks, x.sms(), maxKvTiles);
    int items = 0;
    for (int i = 0; i < blocks; i++) {
      items += Math.min(splits, blockTiles[i]);
    }
    itemPair = new int[items];
    itemFirstRow = new int[items];
    itemRows = new int[items];
    itemTileBegin = new int[items];
    itemTileEnd = new int[items];
    itemBlock = new int[items];
    blockSplits = new int[blocks];
    long macCount = 0;
    long elements = 0;
    int item = 0;
    for (long o : order) {
      int blk = (int) o;
      int p = blockPair[blk];
      int tiles = blockTiles[blk];
      int s = Math.min(splits, tiles);
      blockSplits[blk] = s;
      int rows = Math.min(br, pairRows[p] - blockRow[blk]);
      for (int part = 0; part < s; part++) {
        itemPair[item] = p;
        itemFirstRow[item] = blockRow[blk];
        itemRows[item] = rows;
        itemTileBegin[item] = (int) ((long) tiles * part / s);
        itemTileEnd[item] = (int) ((long) tiles * (part + 1) / s);
        itemBlock[item] = blk;
        for (int t = itemTileBegin[item]; t < itemTileEnd[item]; t++) {
          int keys = keys(p, t);
          macCount += 2L * rows * keys * headDim; // S = Q K^T and O += P V
          elements += (long) rows * keys;
        }
        item++;
      }
    }
    macs = macCount;
    softmaxElements = elements;
  }

  /**
   * KV splits per query block, FlashAttention-2's {@code num_splits_heuristic} (flash_api.cpp): none
   * when the blocks nearly fill the SMs, else the fewest splits whose wave efficiency is within 85% of
   * the best, skipping splits that do not change the tiles per split.
   */
  static int splitsFor(int blocks, int sms, int kvTiles) {
    if (blocks >= 0.8 * sms) {
      return 1;
    }
    int max = Math.min(MAX_SPLITS, Math.min(sms, kvTiles));
    double[] efficiency = new double[max + 1];
    double best = 0;
    for (int s = 1; s <= max; s++) {
      if (s == 1 || ceil(kvTiles, s) != ceil(kvTiles, s - 1)) { // else as good as s - 1: not a candidate
        double waves = (double) blocks * s / sms;
        efficiency[s] = waves / Math.ceil(waves);
        best = Math.max(best, efficiency[s]);
      }
    }
    for (int s = 1; s <= max; s++) {
      if (efficiency[s] >= 0.85 * best) {
        return s;
      }
    }
    return 1;
  }

  int items() {
    return itemPair.length;
  }

  int splits() {
    return splits;
  }

  int headDim() {
    return headDim;
  }

  int blockKeys() {
    return bc;
  }

  int pair(int item) {
    return itemPair[item];
  }

  int firstRow(int item) {
    return itemFirstRow[item];
  }

  int rows(int item) {
    return itemRows[item];
  }

  int tileBegin(int item) {
    return itemTileBegin[item];
  }

  int tileEnd(int item) {
    return itemTileEnd[item];
  }

  /** The query block (pair, query tile) the item computes part of. */
  int block(int item) {
    return itemBlock[item];
  }

  /** Items sharing the item's query block (its KV splits). */
  int splitsOf(int item) {
    return blockSplits[itemBlock[item]];
  }

  int blocks() {
    return blockSplits.length;
  }

  /** Keys in KV tile {@code tile} of pair {@code pair}. */
  int keys(int pair, int tile) {
    return Math.min(bc, pairKeys[pair] - tile * bc);
  }

  long qAddress(int item) {
    return qBase[itemPair[item]] + (long) (itemFirstRow[item] * (long) headDim * bytesPerElement);
  }

  long oAddress(int item) {
    return oBase[itemPair[item]] + (long) (itemFirstRow[item] * (long) headDim * bytesPerElement);
  }

  long kAddress(int pair, int tile) {
    return kBase[pair] + (long) ((long) tile * bc * headDim * bytesPerElement);
  }

  long vAddress(int pair, int tile) {
    return vBase[pair] + (long) ((long) tile * bc * headDim * bytesPerElement);
  }

  /** MACs the items issue, diagonal tiles' masked part included. */
  long macs() {
    return macs;
  }

  /** Score elements the online softmax processes. */
  long softmaxElements() {
    return softmaxElements;
  }

  private long aligned(long elements) {
    long bytes = (long) Math.ceil(elements * bytesPerElement);
    return (bytes + ALIGN - 1) / ALIGN * ALIGN;
  }

  static int ceil(int a, int b) {
    return (a + b - 1) / b;
  }
}
