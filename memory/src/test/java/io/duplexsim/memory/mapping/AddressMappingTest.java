package io.duplexsim.memory.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplexsim.memory.frontend.RequestType;
import io.duplexsim.memory.standard.Organization;
import io.duplexsim.memory.standard.Standards;
import io.duplexsim.sim.InputException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressMappingTest {
  private final Organization hbm3 = Standards.load("HBM3-5.2").org();

  private int[] decode(AddressMapping m, long address) {
    int[] out = new int[6];
    m.decode(address, RequestType.READ, out);
    return out;
  }

  @Test
  void defaultMappingAlternatesBankGroupsWithinAPseudoChannel() {
    AddressMapping m = AddressMapping.of("RoRaBaCoBgCh", hbm3, 1);
    int pcs = hbm3.pseudoChannelsPerStack();
    for (int i = 0; i < 8; i++) {
      int[] a = decode(m, (long) i * 32 * pcs);
      assertEquals(0, a[AddressMapping.PCH]);
      assertEquals(i % hbm3.bankGroups(), a[AddressMapping.BANK_GROUP]);
      assertEquals(i / hbm3.bankGroups(), a[AddressMapping.COLUMN]);
    }
  }

  @Test
  void roBaRaCoChKeepsConsecutiveAccessesInOneBank() {
    AddressMapping m = AddressMapping.of("RoBaRaCoCh", hbm3, 1);
    int pcs = hbm3.pseudoChannelsPerStack();
    for (int i = 0; i < hbm3.columns(); i++) {
      int[] a = decode(m, (long) i * 32 * pcs);
      assertEquals(0, a[AddressMapping.BANK_GROUP]);
      assertEquals(0, a[AddressMapping.BANK]);
      assertEquals(i, a[AddressMapping.COLUMN]);
    }
  }

  @Test
  void xorHashSpreadsARowStrideOverBanks() {
    AddressMapping plain = AddressMapping.of("RoRaBaCoBgCh", hbm3, 1);
    AddressMapping xor = AddressMapping.of("RoRaBaCoBgCh-xor", hbm3, 1);
    long rowStride = 32L * hbm3.pseudoChannelsPerStack() * hbm3.bankGroups() * hbm3.columns() * hbm3.banks()
        * hbm3.ranks();
    Set<Integer> plainBanks = new HashSet<>();
    Set<Integer> xorBanks = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      int[] p = decode(plain, i * rowStride);
      int[] x = decode(xor, i * rowStride);
      plainBanks.add(p[AddressMapping.BANK_GROUP] * 4 + p[AddressMapping.BANK]);
      xorBanks.add(x[AddressMapping.BANK_GROUP] * 4 + x[AddressMapping.BANK]);
      assertEquals(p[AddressMapping.ROW], x[AddressMapping.ROW]);
    }
    assertEquals(1, plainBanks.size());
    assertTrue(xorBanks.size() >= 4, "xor hash used banks " + xorBanks);
  }

  @Test
  void mixedRadixOrganisationsMapEveryUnitOnce() {
    Organization threeRanks = Standards.load("HBM3E-8.0").org();
    AddressMapping m = AddressMapping.of("RoRaBaCoBgCh", threeRanks, 1);
    Set<String> seen = new HashSet<>();
    long units = (long) threeRanks.pseudoChannelsPerStack() * threeRanks.banksPerPseudoChannel() * threeRanks.columns() * 2;
    for (long u = 0; u < units; u++) {
      int[] a = decode(m, u * 32);
      assertTrue(a[AddressMapping.RANK] < 3 && a[AddressMapping.ROW] < 2);
      assertTrue(seen.add(java.util.Arrays.toString(a)), "two addresses map to " + java.util.Arrays.toString(a));
    }
  }

  @Test
  void bundleRequestsAddressWholeBundles() {
    AddressMapping m = AddressMapping.of("RoRaBaCoBgCh", hbm3, 1);
    int[] out = new int[6];
    Set<Integer> bundles = new HashSet<>();
    // pseudo-channels x columns bundle units come before the bundle field changes.
    int units = hbm3.pseudoChannelsPerStack() * hbm3.columns() * hbm3.bundlesPerRank();
    for (int i = 0; i < units; i++) {
      m.decode((long) i * 256, RequestType.BUNDLE_READ, out);
      assertEquals(0, out[AddressMapping.BANK_GROUP]);
      assertEquals(0, out[AddressMapping.BANK] % hbm3.bundleBanksPerGroup());
      bundles.add(out[AddressMapping.BANK] / hbm3.bundleBanksPerGroup());
    }
    assertEquals(hbm3.bundlesPerRank(), bundles.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "RoBa", "RoRoBaRaCoCh", "RoBaRaCoXx", "RoBaRaCoCh-or", "RoBaRaCoC"})
  void malformedNamesAreInputErrors(String name) {
    InputException e = assertThrows(InputException.class, () -> AddressMapping.of(name, hbm3, 1));
    assertTrue(e.getMessage().contains("address mapping"), e.getMessage());
  }

  @Test
  void stacksMultiplyThePseudoChannels() {
    AddressMapping m = AddressMapping.of("RoRaBaCoBgCh", hbm3, 2);
    assertNotEquals(0, decode(m, 32L * 40)[AddressMapping.PCH]);
    assertEquals(40, decode(m, 32L * 40)[AddressMapping.PCH]);
  }
}
