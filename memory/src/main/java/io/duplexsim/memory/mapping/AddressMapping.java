package io.duplexsim.memory.mapping;

import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.sim.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte address to (pseudo-channel, rank, bank group, bank, row, column), named as in Ramulator 2:
 * fields from the most significant to the least, e.g. {@code RoBaRaCoCh}. Tokens: {@code Ro} row,
 * {@code Ra} rank, {@code Ba} bank (bank group and bank together, bank group high, unless a separate
 * {@code Bg} token is given), {@code Bg} bank group, {@code Co} column, {@code Ch} pseudo-channel
 * across all stacks. A {@code -xor} suffix hashes the bank with the low row bits (permutation-based
 * interleaving) so strided streams spread over banks.
 *
 * <p>Bank-bundle requests (Logic-PIM) use 256 B units and address a bundle instead of a bank group
 * and bank; all-bank requests (Bank-PIM) use whole-pseudo-channel units. Fields are mixed-radix, so
 * non-power-of-two organisations (3 ranks) work; addresses beyond capacity wrap.
 */
public final class AddressMapping {
  public static final List<String> NAMES = List.of("RoRaBaCoBgCh", "RoBaRaCoCh", "RoCoBaRaCh", "RoRaBaCoBgCh-xor",
      "RoBaRaCoCh-xor", "RoCoBaRaCh-xor");

  /** Output slots of {@link #decode}. */
  public static final int PCH = 0;
  public static final int RANK = 1;
  public static final int BANK_GROUP = 2;
  public static final int BANK = 3;
  public static final int ROW = 4;
  public static final int COLUMN = 5;

  private static final int T_RO = 0;
  private static final int T_RA = 1;
  private static final int T_BA = 2;
  private static final int T_BG = 3;
  private static final int T_CO = 4;
  private static final int T_CH = 5;

  private final String name;
  private final Organization org;
  private final boolean xor;
  private final boolean separateBankGroup;
  /** Per request granularity: fields from least significant, with radices. */
  private final Layout[] layouts = new Layout[3];

  /**
   * {@code bankRadix}: the radix of the bank field (1 if absent), which the hash needs on every decode.
   * {@code shifts} (null unless the unit and every radix are powers of two, as in HBM): per token
   * kind, the bit offset of its field in the address, and {@code masks} its radix - 1 (0: absent),
   * so that a decode takes shifts and masks instead of a long division per field.
   */
  private record Layout(long unitBytes, int[] tokens, long[] radix, int bankRadix, int unitShift, int[] shifts,
      long[] masks) {}

  public static AddressMapping of(String name, Organization org, int stacks) {
    return new AddressMapping(name, org, stacks);
  }

  private AddressMapping(String name, Organization org, int stacks) {
    this.name = name;
    this.org = org;
    String spec = name;
    this.xor = spec.endsWith("-xor");
    if (xor) {
      spec = spec.substring(0, spec.length() - 4);
    }
    List<Integer> msbFirst = new ArrayList<>();
    if (spec.isEmpty() || spec.length() % 2 != 0) {
      throw bad(name);
    }
    for (int i = 0; i < spec.length(); i += 2) {
      int t = switch (spec.substring(i, i + 2)) {
        case "Ro" -> T_RO;
        case "Ra" -> T_RA;
        case "Ba" -> T_BA;
        case "Bg" -> T_BG;
        case "Co" -> T_CO;
        case "Ch" -> T_CH;
        default -> throw bad(name);
      };
      if (msbFirst.contains(t)) {
        throw bad(name);
      }
      msbFirst.add(t);
    }
    for (int t : new int[] {T_RO, T_RA, T_BA, T_CO, T_CH}) {
      if (!msbFirst.contains(t)) {
        throw bad(name);
      }
    }
    separateBankGroup = msbFirst.contains(T_BG);
    int[] tokens = new int[msbFirst.size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = msbFirst.get(tokens.length - 1 - i);
    }
    long pcs = (long) stacks * org.pseudoChannelsPerStack();
    int bankRadix = separateBankGroup ? org.banks() : org.banksPerRank();
    layouts[0] = layout(org.accessBytes(), tokens, pcs, org.ranks(), separateBankGroup ? org.bankGroups() : 1,
        bankRadix);
    layouts[1] = layout((long) org.accessBytes() * org.banksPerBundle(), tokens, pcs, org.ranks(), 1,
        org.bundlesPerRank());
    layouts[2] = layout((long) org.accessBytes() * org.banksPerPseudoChannel(), tokens, pcs, 1, 1, 1);
  }

  private Layout layout(long unit, int[] tokens, long pcs, int ranks, int groups, int banks) {
    long[] radix = new long[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      radix[i] = switch (tokens[i]) {
        case T_RO -> org.rows();
        case T_RA -> ranks;
        case T_BA -> banks;
        case T_BG -> groups;
        case T_CO -> org.columns();
        default -> pcs;
      };
    }
    Layout partial = new Layout(unit, tokens, radix, 1, 0, null, null);
    int[] shifts = null;
    long[] masks = null;
    boolean powersOfTwo = Long.bitCount(unit) == 1;
    for (long r : radix) {
      powersOfTwo &= Long.bitCount(r) == 1;
    }
    if (powersOfTwo) {
      shifts = new int[T_CH + 1];
      masks = new long[T_CH + 1];
      int at = 0;
      for (int i = 0; i < tokens.length; i++) {
        shifts[tokens[i]] = at;
        masks[tokens[i]] = radix[i] - 1;
        at += Long.numberOfTrailingZeros(radix[i]);
      }
      if (at > 62) {
        shifts = null; // fields beyond a long's bits: keep the general path
        masks = null;
      }
    }
    return new Layout(unit, tokens, radix, (int) radixOf(partial, T_BA), Long.numberOfTrailingZeros(unit), shifts,
        masks);
  }

  private static InputException bad(String name) {
    return new InputException("unknown address mapping '" + name + "'; expected one of " + NAMES
        + " or another order of the tokens Ro Ra Ba Bg Co Ch (each once; Bg optional), optionally with -xor");
  }

  public String name() {
    return name;
  }

  /** Decodes {@code address} for a request of {@code type} into {@code out} (slots PCH..COLUMN). */
  public void decode(long address, RequestType type, int[] out) {
    int g = switch (type) {
      case READ, WRITE -> 0;
      case BUNDLE_READ, BUNDLE_WRITE, BUNDLE_READ_BANKGROUP -> 1;
      case ALLBANK_READ -> 2;
    };
    Layout l = layouts[g];
    int[] shifts = l.shifts;
    long a = shifts != null ? address >>> l.unitShift : Long.divideUnsigned(address, l.unitBytes);
    int ch = 0;
    int ra = 0;
    int ba = 0;
    int bg = 0;
    int co = 0;
    int ro = 0;
    if (shifts != null && a >= 0) {
      // Powers of two: a % r and a / r of a non-negative a are a mask and a shift.
      long[] masks = l.masks;
      ro = (int) ((a >>> shifts[T_RO]) & masks[T_RO]);
      ra = (int) ((a >>> shifts[T_RA]) & masks[T_RA]);
      ba = (int) ((a >>> shifts[T_BA]) & masks[T_BA]);
      bg = (int) ((a >>> shifts[T_BG]) & masks[T_BG]);
      co = (int) ((a >>> shifts[T_CO]) & masks[T_CO]);
      ch = (int) ((a >>> shifts[T_CH]) & masks[T_CH]);
    } else {
      int[] tokens = l.tokens;
      long[] radix = l.radix;
      for (int i = 0; i < tokens.length; i++) {
        long r = radix[i];
        int v = (int) (a % r);
        a /= r;
        switch (tokens[i]) {
          case T_RO -> ro = v;
          case T_RA -> ra = v;
          case T_BA -> ba = v;
          case T_BG -> bg = v;
          case T_CO -> co = v;
          default -> ch = v;
        }
      }
    }
    if (xor) {
      int n = l.bankRadix();
      if (n > 1) {
        ba = (n & (n - 1)) == 0 ? (ba ^ (ro & (n - 1))) : (int) ((ba + (long) ro) % n);
      }
    }
    int bank;
    int group;
    if (g == 0) {
      if (separateBankGroup) {
        group = bg;
        bank = ba;
      } else {
        group = ba / org.banks();
        bank = ba % org.banks();
      }
    } else if (g == 1) {
      group = 0;
      bank = ba * org.bundleBanksPerGroup();
    } else {
      group = 0;
      bank = 0;
    }
    out[PCH] = ch;
    out[RANK] = ra;
    out[BANK_GROUP] = group;
    out[BANK] = bank;
    out[ROW] = ro;
    out[COLUMN] = co;
  }

  private static long radixOf(Layout l, int token) {
    for (int i = 0; i < l.tokens.length; i++) {
      if (l.tokens[i] == token) {
        return l.radix[i];
      }
    }
    return 1;
  }
}
