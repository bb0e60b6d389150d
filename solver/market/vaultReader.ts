import type { Address, PublicClient } from "viem";
import { aggregatorAbi, optionLedgerAbi, optionVaultAbi } from "../chain/abis.js";
import type { VaultState, VolSliceState } from "./vaultTwin.js";

/** The pair's fixed scales, read once: what the vault's immutables are derived from. */
export interface PairScales {
  pairId: number;
  oracle: Address;
  oracleDecimals: number;
  quoteDecimals: number;
  underlyingDecimals: number;
}

export async function readPairScales(client: PublicClient, ledger: Address, pairId: number): Promise<PairScales> {
  const pair = await client.readContract({
    address: ledger,
    abi: optionLedgerAbi,
    functionName: "pair",
    args: [pairId],
  });
  return {
    pairId,
    oracle: pair.oracle,
    oracleDecimals: pair.oracleDecimals,
    quoteDecimals: pair.quoteDecimals,
    underlyingDecimals: pair.underlyingDecimals,
  };
}

/** Which vault to read, and what the solver already knows of the ledger: the expiries and the series. */
export interface VaultSource {
  vault: Address;
  isCall: boolean;
  scales: PairScales;
  /** Expiries whose vol slices to read (those of the live series). */
  expiries: readonly number[];
  /** Whether the ledger has the series, from its SeriesCreated events. */
  isSeries(seriesId: bigint): boolean;
  /** The oracle's latest round at the block, when the caller has read it already (else it is read here). */
  oracle?: { answer: bigint; updatedAt: bigint };
}

/**
 * Everything `OptionVault.quote` reads, from the chain at `blockNumber`: parameters, limits, book, the
 * positions of its open series (every series with a non-zero position or collateral is open, so the others
 * are zero), the vol slices of `expiries` and the oracle's latest round.
 */
export async function readVaultState(
  client: PublicClient,
  source: VaultSource,
  blockNumber?: bigint,
): Promise<VaultState> {
  const at = blockNumber === undefined ? {} : { blockNumber };
  const { vault, scales } = source;
  const view = <T>(functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address: vault, abi: optionVaultAbi, functionName, args, ...at } as never) as Promise<T>;
  const expiries = [...new Set(source.expiries)];
  const [params, limits, free, locked, open, round, slices] = await Promise.all([
    view<Record<string, number | bigint>>("params"),
    view<Record<string, number | bigint>>("limits"),
    view<bigint>("freeAssets"),
    view<bigint>("lockedAssets"),
    view<readonly bigint[]>("openSeries"),
    source.oracle ??
      client
        .readContract({ address: scales.oracle, abi: aggregatorAbi, functionName: "latestRoundData", ...at })
        .then((r) => ({ answer: r[1], updatedAt: r[3] })),
    Promise.all(expiries.map((e) => view<Record<keyof VolSliceState, number | bigint>>("volSlice", [e]))),
  ]);
  const positions = await Promise.all(open.map((id) => view<{ amount: bigint; collateral: bigint }>("position", [id])));
  return {
    pairId: scales.pairId,
    isCall: source.isCall,
    oracleToWad: 10n ** BigInt(18 - scales.oracleDecimals),
    quoteToWad: 10n ** BigInt(18 - scales.quoteDecimals),
    underlyingUnit: 10n ** BigInt(scales.underlyingDecimals),
    params: big(params),
    limits: big(limits),
    book: { free, locked },
    positions: new Map(open.map((id, i) => [id, positions[i]!])),
    openSeries: open.length,
    volSlices: new Map(expiries.map((e, i) => [e, big(slices[i]!)])),
    oracle: round,
    isSeries: source.isSeries,
  };
}

/** A struct read through viem (numbers for small uint types) as bigints. */
function big<T>(o: Record<string, number | bigint>): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, BigInt(v)])) as T;
}
