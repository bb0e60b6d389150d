import { randomBytes } from "node:crypto";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { type Address, type Hex, zeroAddress } from "viem";
import { type FillParams, type Intent, intentTypes, settlementDomain } from "../../solver/chain/intent.js";
import { Side } from "../../solver/domain/side.js";
import type { System } from "./system.js";

const MAX = 2n ** 256n - 1n;
let nextNonce = 1n;

/** A buy intent for 1 option by `user`, valid for 10 minutes, with a fresh nonce; override any field. */
export async function makeIntent(s: System, user: HardhatEthersSigner, fields: Partial<Intent> = {}): Promise<Intent> {
  const now = await s.connection.networkHelpers.time.latest();
  return {
    user: user.address as Address,
    seriesId: 0n,
    side: Side.Buy,
    amount: 10n ** 18n,
    limitPremium: MAX,
    deadline: BigInt(now + 600),
    nonce: nextNonce++,
    recipient: user.address as Address,
    exclusiveSolver: zeroAddress,
    quoteId: `0x${randomBytes(32).toString("hex")}` as Hex,
    ...fields,
  };
}

/** Signs an intent with ethers' EIP-712 signer, for this settlement and chain unless overridden. */
export async function signIntent(
  s: System,
  signer: HardhatEthersSigner,
  intent: Intent,
  domain: { chainId?: bigint; verifyingContract?: Address } = {},
): Promise<string> {
  const chainId = domain.chainId ?? (await s.ethers.provider.getNetwork()).chainId;
  const verifyingContract = domain.verifyingContract ?? ((await s.settlement.getAddress()) as Address);
  const types = { Intent: intentTypes.Intent.map((f) => ({ ...f })) };
  return signer.signTypedData(settlementDomain(chainId, verifyingContract), types, intent);
}

/** Fill parameters; defaults describe a fully internal fill from held longs at premium 0. */
export function fillParams(fields: Partial<FillParams> = {}): FillParams {
  return { internalAmount: 0n, internalPremium: 0n, mintAmount: 0n, ammPremium: 0n, ...fields };
}

/**
 * Approvals a wallet gives once to trade through the settlement: premiums (settlement), collateral for
 * writing (ledger), the settlement as its ERC-1155 operator (sells) and as its write operator (sell-to-open,
 * and for a solver, writing options to deliver).
 */
export async function approveSettlement(s: System, who: HardhatEthersSigner): Promise<void> {
  for (const token of [s.weth, s.usdc]) {
    await token.connect(who).approve(s.settlement, MAX);
    await token.connect(who).approve(s.ledger, MAX);
  }
  await s.ledger.connect(who).setApprovalForAll(s.settlement, true);
  await s.ledger.connect(who).setWriteApproval(s.settlement, true);
}

/** Funds a wallet from the faucets and gives the settlement approvals. */
export async function fundTrader(s: System, who: HardhatEthersSigner, weth: bigint, usdc: bigint): Promise<void> {
  if (weth > 0n) await s.weth.faucet(who.address, weth);
  if (usdc > 0n) await s.usdc.faucet(who.address, usdc);
  await approveSettlement(s, who);
}
