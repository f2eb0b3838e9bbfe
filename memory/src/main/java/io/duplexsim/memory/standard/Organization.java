package io.duplexsim.memory.standard;

/**
 * Organisation of one HBM stack. Counts are per parent: {@code pseudoChannels} per channel,
 * {@code ranks} (stack IDs) per pseudo-channel, and so on; {@code columns} counts access-sized
 * columns (dqBits x burstLength / 8 bytes each).
 */
public record Organization(
    int channels,
    int pseudoChannels,
    int ranks,
    int bankGroups,
    int banks,
    int rows,
    int columns,
    int dqBits,
    int burstLength,
    int bundlesPerRank,
    int dieDensityGb) {

  /** Bytes moved by one RD or WR on the pseudo-channel data bus. */
  public int accessBytes() {
    return dqBits * burstLength / 8;
  }

  public int pseudoChannelsPerStack() {
    return channels * pseudoChannels;
  }

  public int banksPerRank() {
    return bankGroups * banks;
  }

  public int banksPerPseudoChannel() {
    return ranks * bankGroups * banks;
  }

  /** Banks per bank group in one bundle. */
  public int bundleBanksPerGroup() {
    return banks / bundlesPerRank;
  }

  public int banksPerBundle() {
    return bankGroups * bundleBanksPerGroup();
  }

  public long bytesPerRow() {
    return (long) columns * accessBytes();
  }

  public long bytesPerStack() {
    return (long) pseudoChannelsPerStack() * banksPerPseudoChannel() * rows * bytesPerRow();
  }

  /** Flat index of a bank inside its pseudo-channel. */
  public int flatBank(int rank, int bankGroup, int bank) {
    return (rank * bankGroups + bankGroup) * banks + bank;
  }
}
