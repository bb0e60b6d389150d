import type { Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

/** Hardhat's public development mnemonic: devnet accounts only, never funds of value. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of devnet account `index` (0 admin, 1 keeper, 2 solver, 3 LP, 4... traders). */
export function devKey(index: number): Hex {
  const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no key for account ${index}`);
  return `0x${Buffer.from(key).toString("hex")}` as Hex;
}
