import type { Hex } from "viem";
import { encodeSeriesId } from "../../solver/domain/seriesId.js";
import type { FillFacts } from "../../solver/report/collect.js";
import type { Mark } from "../../solver/report/markout.js";
import type { TapeEntry } from "../../solver/report/tape.js";

export const ETH = 10n ** 18n;
export const USDC = 10n ** 6n;
/** The devnet's scales: WETH 18, USDC 6, the oracle 8 decimals. */
export const SCALE = { underlyingDecimals: 18, quoteDecimals: 6, oracleDecimals: 8 };
export const usd = (dollars: number) => BigInt(dollars) * 10n ** 8n;

export const CALL = encodeSeriesId({ pairId: 1, strike: 3000n * USDC, expiry: 1_900_000_000, isCall: true });
export const PUT = encodeSeriesId({ pairId: 1, strike: 3000n * USDC, expiry: 1_900_000_000, isCall: false });

export const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;

export function fill(
  n: number,
  f: Pick<FillFacts, "seriesId" | "side" | "internalAmount" | "ammAmount" | "premium" | "internalPremium"> &
    Partial<FillFacts> & { timestamp: number; spot: bigint; mark: Mark },
): FillFacts {
  return {
    orderHash: hash(n),
    txHash: hash(1000 + n),
    block: BigInt(n),
    logIndex: 0,
    ammReferencePremium: 0n,
    ...f,
  };
}

export function entry(n: number, e: Partial<TapeEntry> & Pick<TapeEntry, "createdAt" | "amount" | "route">): TapeEntry {
  return { quoteId: hash(5000 + n), seriesId: CALL, side: "buy", orderHash: hash(n), ...e };
}

/**
 * The window [1000, 2000] with five fills and six tape entries, each figure worked out by hand in the tests:
 * A  call buy, internal, 2 options, paid 0.1 WETH against the AMM's 0.11, spot 2,500; quoted 3 s before; mid 0.045
 * B  put sell-to-close, internal, 0.5 options, got 40 USDC against 38, spot 2,600; quoted 10 s before; mid 88 USDC
 * C  call buy, AMM, 30 options, 3 WETH, spot 2,500; quoted 15 s before, before the window; horizon not passed
 * D  put buy, split 4 internal + 2 AMM, 600 USDC (internal 400 against 410), spot 2,500; not on the tape;
 *    the vault had no price at the mark
 * E  call sell-to-open, internal, 1 option, 0.042 WETH, the AMM's price exactly, spot 2,400; quoted 7 s before;
 *    mid 0.048 WETH
 * F  an accepted AMM order for 3 options that did not fill; G a quote no order accepted
 */
export function scenario() {
  const facts: FillFacts[] = [
    fill(1, {
      seriesId: CALL,
      side: 0,
      internalAmount: 2n * ETH,
      ammAmount: 0n,
      premium: ETH / 10n,
      internalPremium: ETH / 10n,
      ammReferencePremium: (11n * ETH) / 100n,
      timestamp: 1100,
      spot: usd(2500),
      mark: { status: "marked", block: 20n, ask: (47n * ETH) / 1000n, bid: (43n * ETH) / 1000n },
    }),
    fill(2, {
      seriesId: PUT,
      side: 1,
      internalAmount: ETH / 2n,
      ammAmount: 0n,
      premium: 40n * USDC,
      internalPremium: 40n * USDC,
      ammReferencePremium: 38n * USDC,
      timestamp: 1200,
      spot: usd(2600),
      mark: { status: "marked", block: 30n, ask: 90n * USDC, bid: 86n * USDC },
    }),
    fill(3, {
      seriesId: CALL,
      side: 0,
      internalAmount: 0n,
      ammAmount: 30n * ETH,
      premium: 3n * ETH,
      internalPremium: 0n,
      timestamp: 1005,
      spot: usd(2500),
      mark: { status: "pending" },
    }),
    fill(4, {
      seriesId: PUT,
      side: 0,
      internalAmount: 4n * ETH,
      ammAmount: 2n * ETH,
      premium: 600n * USDC,
      internalPremium: 400n * USDC,
      ammReferencePremium: 410n * USDC,
      timestamp: 1300,
      spot: usd(2500),
      mark: { status: "unavailable", block: 40n },
    }),
    fill(5, {
      seriesId: CALL,
      side: 2,
      internalAmount: ETH,
      ammAmount: 0n,
      premium: (42n * ETH) / 1000n,
      internalPremium: (42n * ETH) / 1000n,
      ammReferencePremium: (42n * ETH) / 1000n,
      timestamp: 1400,
      spot: usd(2400),
      mark: { status: "marked", block: 50n, ask: (50n * ETH) / 1000n, bid: (46n * ETH) / 1000n },
    }),
  ];
  const tape: TapeEntry[] = [
    entry(1, { createdAt: 1097, amount: 2n * ETH, route: "internal" }),
    entry(2, { createdAt: 1190, amount: ETH / 2n, route: "internal", seriesId: PUT, side: "sellToClose" }),
    entry(3, { createdAt: 990, amount: 30n * ETH, route: "amm" }),
    entry(5, { createdAt: 1393, amount: ETH, route: "internal", side: "sellToOpen" }),
    entry(6, { createdAt: 1500, amount: 3n * ETH, route: "amm" }),
    entry(7, { createdAt: 1600, amount: ETH, route: "internal", orderHash: null }),
  ];
  return { facts, tape, window: { from: 1000, to: 2000 } };
}
