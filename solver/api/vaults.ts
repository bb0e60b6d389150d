import type { Abi, Address, PublicClient } from "viem";
import { optionVaultAbi } from "../chain/abis.js";
import { type AssetUnits, amountJson, OPTION_DECIMALS } from "../domain/amount.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import type { Engine } from "../engine/engine.js";

/** One of the pair's two vaults: the call vault holds WETH, the put vault USDC. */
interface VaultRef {
  kind: "call" | "put";
  address: Address;
  asset: AssetUnits & { address: Address };
}

function vaultsOf(engine: Engine): VaultRef[] {
  const { contracts } = engine.deployment;
  const { underlying, quote } = engine.assets;
  return [
    { kind: "call", address: contracts.callVault, asset: underlying },
    { kind: "put", address: contracts.putVault, asset: quote },
  ];
}

function viewer(reader: PublicClient, vault: Address, blockNumber?: bigint) {
  const at = blockNumber === undefined ? {} : { blockNumber };
  return <T = bigint>(functionName: string, args: readonly unknown[] = []) =>
    reader.readContract({ address: vault, abi: optionVaultAbi as Abi, functionName, args, ...at }) as Promise<T>;
}

/**
 * Each vault's NAV (open shorts marked at model value by the vault itself), free and locked assets,
 * utilisation, share price and open exposure by expiry; with `owner`, the owner's shares, their value, what
 * is withdrawable now and the lock-up's end.
 */
export async function vaultsReport(engine: Engine, reader: PublicClient, owner?: Address) {
  const now = await engine.market.chainTime();
  const vaults = await Promise.all(vaultsOf(engine).map((v) => vaultView(reader, v, owner)));
  return { chainTime: now, vaults };
}

async function vaultView(reader: PublicClient, v: VaultRef, owner?: Address) {
  const call = viewer(reader, v.address);
  const [totalAssets, totalSupply, free, locked, utilisation, decimals, open] = await Promise.all([
    call("totalAssets"),
    call("totalSupply"),
    call("freeAssets"),
    call("lockedAssets"),
    call("utilisation"),
    call<number>("decimals"),
    call<readonly bigint[]>("openSeries"),
  ]);
  const oneShare = 10n ** BigInt(decimals);
  const sharePrice = await call("convertToAssets", [oneShare]);
  const amount = (raw: bigint) => amountJson(raw, v.asset);
  return {
    kind: v.kind,
    address: v.address,
    asset: { address: v.asset.address, symbol: v.asset.symbol, decimals: v.asset.decimals },
    nav: amount(totalAssets),
    totalShares: amountJson(totalSupply, { symbol: "shares", decimals: Number(decimals) }),
    freeAssets: amount(free),
    lockedAssets: amount(locked),
    /** Locked over total assets, 1e18 = 100%. */
    utilisation: Number(utilisation) / 1e18,
    sharePrice: amount(sharePrice),
    exposure: await exposureByExpiry(call, open),
    owner: owner ? await ownerView(call, owner, Number(decimals), v.asset) : null,
  };
}

/** The vault's open positions summed per expiry: options net (negative = the vault is short) and collateral. */
async function exposureByExpiry(call: ReturnType<typeof viewer>, open: readonly bigint[]) {
  const positions = await Promise.all(
    open.map((id) => call<{ amount: bigint; collateral: bigint }>("position", [id]).then((p) => ({ id, ...p }))),
  );
  const byExpiry = new Map<number, { net: bigint; collateral: bigint; series: number }>();
  for (const p of positions) {
    const expiry = decodeSeriesId(p.id).expiry;
    const e = byExpiry.get(expiry) ?? { net: 0n, collateral: 0n, series: 0 };
    byExpiry.set(expiry, { net: e.net + p.amount, collateral: e.collateral + p.collateral, series: e.series + 1 });
  }
  return [...byExpiry]
    .sort(([a], [b]) => a - b)
    .map(([expiry, e]) => ({
      expiry,
      series: e.series,
      netOptions: amountJson(e.net, { symbol: "options", decimals: OPTION_DECIMALS }),
      collateral: e.collateral.toString(),
    }));
}

async function ownerView(call: ReturnType<typeof viewer>, owner: Address, shareDecimals: number, asset: AssetUnits) {
  const [shares, lockedUntil, maxWithdraw, lockedShares] = await Promise.all([
    call("balanceOf", [owner]),
    call("lockedUntil", [owner]),
    call("maxWithdraw", [owner]),
    call("lockedShares", [owner]),
  ]);
  const value = shares === 0n ? 0n : await call("convertToAssets", [shares]);
  return {
    address: owner,
    shares: amountJson(shares, { symbol: "shares", decimals: shareDecimals }),
    lockedShares: amountJson(lockedShares, { symbol: "shares", decimals: shareDecimals }),
    value: amountJson(value, asset),
    maxWithdraw: amountJson(maxWithdraw, asset),
    /** Chain time the deposit lock-up ends (0: nothing locked). */
    lockedUntil: Number(lockedUntil),
  };
}

/** Share prices at past blocks never change: read once per (vault, block). */
const sharePriceCache = new Map<string, bigint>();

/** Each vault's share price at `points` blocks evenly spread from the deployment to the latest block. */
export async function vaultHistory(engine: Engine, reader: PublicClient, points: number) {
  const first = BigInt(engine.deployment.block) + 1n;
  const latest = await engine.market.blockNumber();
  const blocks = sampleBlocks(first, latest, points);
  const times = await Promise.all(
    blocks.map((b) => reader.getBlock({ blockNumber: b }).then((x) => Number(x.timestamp))),
  );
  const series = await Promise.all(
    vaultsOf(engine).map(async (v) => {
      const prices = await Promise.all(blocks.map((b) => sharePriceAt(reader, v, b, latest).catch(() => null)));
      // null: the vault did not exist yet at that block.
      const sharePrice = prices.map((p) => (p === null ? null : Number(p) / 10 ** v.asset.decimals));
      return { kind: v.kind, asset: v.asset.symbol, sharePrice };
    }),
  );
  return { blocks: blocks.map(Number), times, vaults: series };
}

async function sharePriceAt(reader: PublicClient, v: VaultRef, block: bigint, latest: bigint): Promise<bigint> {
  const key = `${v.address}:${block}`;
  const cached = sharePriceCache.get(key);
  if (cached !== undefined) return cached;
  const call = viewer(reader, v.address, block);
  const decimals = await call<number>("decimals");
  const price = await call("convertToAssets", [10n ** BigInt(decimals)]);
  // The latest block may still be reorganised on a live chain; older ones are final enough to keep.
  if (block < latest) sharePriceCache.set(key, price);
  return price;
}

/** `points` blocks from `first` to `latest` inclusive, evenly spaced, without repeats. */
export function sampleBlocks(first: bigint, latest: bigint, points: number): bigint[] {
  if (latest <= first || points <= 1) return [latest];
  const span = latest - first;
  const n = BigInt(points - 1);
  const out = new Set<bigint>();
  for (let i = 0n; i <= n; i++) out.add(first + (span * i) / n);
  return [...out];
}
