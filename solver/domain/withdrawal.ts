/**
 * Why an LP cannot withdraw an amount now, read from the vault (base units of its asset, chain time):
 * - `sharesLocked`: every share is inside the lock-up;
 * - `latestDepositsLocked`: neither the shares' worth nor the vault's free assets stop it, so the lock-up
 *   of the latest deposits does;
 * - `vaultAssetsLocked`: the shares are worth it, but the vault's free assets are not (the rest is
 *   collateral for open options);
 * - `insufficientBalance`: the shares are worth less.
 * One home for the CLI's and the web app's refusals.
 */
export type WithdrawBlock = "sharesLocked" | "latestDepositsLocked" | "vaultAssetsLocked" | "insufficientBalance";

export interface WithdrawState {
  lockedUntil: number;
  maxWithdraw: bigint;
  /** What the LP's shares are worth. */
  worth: bigint;
  freeAssets: bigint;
}

export function withdrawBlock(s: WithdrawState, amount: bigint, now: number): WithdrawBlock {
  const locked = s.lockedUntil > now;
  if (locked && s.maxWithdraw === 0n) return "sharesLocked";
  if (locked && amount <= s.worth && amount <= s.freeAssets) return "latestDepositsLocked";
  if (s.worth >= amount && s.freeAssets < amount) return "vaultAssetsLocked";
  return "insufficientBalance";
}
