import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { network } from "hardhat";
import Internalizer from "../../ignition/modules/Internalizer.js";
import { encodeSeriesId } from "../../solver/domain/seriesId.js";
import type { IOptionVault } from "../../types/ethers-contracts/vaults/OptionVault.js";

export const WAD = 10n ** 18n;
export const USDC = 10n ** 6n;
export const ETH = 10n ** 18n;
export const DAY = 86_400;
/** Oracle answers have 8 decimals. */
export const usd8 = (dollars: number | bigint) => BigInt(dollars) * 10n ** 8n;

export type Connection = Awaited<ReturnType<typeof network.create>>;
export type System = Awaited<ReturnType<typeof deploySystem>>;

/** Deploys the Ignition module on `connection` and returns typed contracts and named accounts. */
export async function deploySystem(connection: Connection, opts: { deploymentId?: string } = {}) {
  const { ethers, ignition } = connection;
  const [admin, keeper, solver, lp, alice, bob, carol, mallory] = (await ethers.getSigners()) as HardhatEthersSigner[] &
    [HardhatEthersSigner, ...HardhatEthersSigner[]];
  const deployed = await ignition.deploy(Internalizer, {
    parameters: { Internalizer: { keeper: keeper!.address, solver: solver!.address } },
    ...(opts.deploymentId ? { deploymentId: opts.deploymentId, displayUi: false } : {}),
  });
  const weth = await ethers.getContractAt("MockERC20", await deployed.weth.getAddress());
  const usdc = await ethers.getContractAt("MockERC20", await deployed.usdc.getAddress());
  const oracle = await ethers.getContractAt("MockAggregator", await deployed.oracle.getAddress());
  const ledger = await ethers.getContractAt("OptionLedger", await deployed.ledger.getAddress());
  const callVault = await ethers.getContractAt("OptionVault", await deployed.callVault.getAddress());
  const putVault = await ethers.getContractAt("OptionVault", await deployed.putVault.getAddress());
  const settlement = await ethers.getContractAt("OptionSettlement", await deployed.settlement.getAddress());
  const pairId = Number(await callVault.pairId());
  const libraries = {
    VaultNav: await deployed.VaultNav.getAddress(),
    VaultRisk: await deployed.VaultRisk.getAddress(),
  };
  return {
    connection,
    ethers,
    weth,
    usdc,
    oracle,
    ledger,
    callVault,
    putVault,
    settlement,
    pairId,
    libraries,
    admin: admin!,
    keeper: keeper!,
    solver: solver!,
    lp: lp!,
    alice: alice!,
    bob: bob!,
    carol: carol!,
    mallory: mallory!,
  };
}

/**
 * Makes the next transaction execute at the latest block's timestamp, so that it sees exactly the prices a
 * view call just returned. Needs a connection created with `allowBlocksWithSameTimestamp`.
 */
export async function holdTime(s: System): Promise<void> {
  const t = await s.connection.networkHelpers.time.latest();
  await s.connection.networkHelpers.time.setNextBlockTimestamp(t);
}

/** Deploys another vault linked to the system's libraries (for tests that need a vault of their own). */
export async function deployVault(
  s: System,
  isCall: boolean,
  params: IOptionVault.ParamsStruct,
  limits: IOptionVault.LimitsStruct,
  name = "test vault",
  pairId = s.pairId,
) {
  const factory = await s.ethers.getContractFactory("OptionVault", { libraries: s.libraries });
  const vault = await factory.deploy(s.ledger, pairId, isCall, name, "tv", s.admin.address, 6, params, limits);
  await vault.waitForDeployment();
  await vault.setKeeper(s.keeper.address, true);
  return s.ethers.getContractAt("OptionVault", await vault.getAddress());
}

/** Latest block timestamp. */
export async function now(s: System): Promise<number> {
  return s.connection.networkHelpers.time.latest();
}

/**
 * Creates a series `days` from now (at 08:00 UTC) and returns its id; with `anchor`, exactly `days` after
 * that time instead, so that a strip's expiries keep fixed distances from one moment.
 */
export async function createSeries(
  s: System,
  strikeUsd: bigint,
  days: number,
  isCall: boolean,
  anchor?: number,
): Promise<bigint> {
  const expiry =
    anchor === undefined ? Math.floor(((await now(s)) + days * DAY) / DAY) * DAY + 8 * 3600 : anchor + days * DAY;
  const strike = strikeUsd * USDC;
  await s.ledger.createSeries(await s.weth.getAddress(), await s.usdc.getAddress(), strike, expiry, isCall);
  return encodeSeriesId({ pairId: s.pairId, strike, expiry, isCall });
}

/** Sets the same smile on both vaults for an expiry. Vols are WAD. */
export async function setVol(
  s: System,
  expiry: number,
  atmVol = (WAD * 8n) / 10n,
  skew = -(WAD / 10n),
  curvature = WAD / 5n,
) {
  await s.callVault.connect(s.keeper).setVolSlice(expiry, atmVol, skew, curvature);
  await s.putVault.connect(s.keeper).setVolSlice(expiry, atmVol, skew, curvature);
}

/** Faucet-mints and approves `spender` for `amount` of a mock token. */
export async function fund(
  token: System["weth"],
  who: HardhatEthersSigner,
  amount: bigint,
  spender?: { getAddress(): Promise<string> },
) {
  await token.faucet(who.address, amount);
  if (spender) await token.connect(who).approve(await spender.getAddress(), amount);
}

/** Deposits LP liquidity in both vaults. */
export async function seedVaults(s: System, weth = 100n * ETH, usdc = 300_000n * USDC) {
  await fund(s.weth, s.lp, weth, s.callVault);
  await fund(s.usdc, s.lp, usdc, s.putVault);
  await s.callVault.connect(s.lp).deposit(weth, s.lp.address);
  await s.putVault.connect(s.lp).deposit(usdc, s.lp.address);
}

/** Pushes a new oracle round at the current block time. */
export async function setPrice(s: System, dollars: number | bigint) {
  await s.oracle.connect(s.admin).pushAnswer(usd8(dollars));
}
