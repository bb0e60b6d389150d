import type { Address, Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

/** Hardhat's public development mnemonic: devnet accounts only, never funds of value. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of devnet account `index` (0 admin, 1 keeper, 2 solver, 3 LP, 4... traders). */
export function devKey(index: number): Hex {
  const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no key for account ${index}`);
  return `0x${Buffer.from(key).toString("hex")}` as Hex;
}

/** What each devnet account is for (the README's "Devnet accounts" table is this list). */
export const DEVNET_ROLES = [
  "admin: owns the contracts and the ETH/USD feed",
  "keeper: sets the vaults' vol slices",
  "solver: the solver's own key and inventory",
  "LP: seeded the vaults; 100 WETH and 300,000 USDC left to deposit",
  "trader: 100 WETH, 500,000 USDC, every approval given",
  "trader: 100 WETH, 500,000 USDC, every approval given",
  "trader: 100 WETH, 500,000 USDC, every approval given",
  "trader: 100 WETH, 500,000 USDC, every approval given",
  "trader: 100 WETH, 500,000 USDC, every approval given",
  "trader: 100 WETH, 500,000 USDC, no approvals (to try the approval flow)",
  "arbitrageur: trades the Uniswap WETH/USDC pool back to the oracle or the reference feed",
] as const;

/** The devnet's accounts with their keys (public Hardhat test keys) and roles. */
export const DEVNET_ACCOUNTS: ReadonlyArray<{ index: number; key: Hex; address: Address; role: string }> =
  DEVNET_ROLES.map((role, index) => {
    const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
    return { index, key: devKey(index), address: account.address, role };
  });
