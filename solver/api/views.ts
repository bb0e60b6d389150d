import type { Hex } from "viem";
import { type AmountJson, amountJson, OPTION_DECIMALS } from "../domain/amount.js";
import { type PairAssets, premiumAssetOf } from "../domain/assets.js";
import { instrumentName } from "../domain/instrument.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { sideName } from "../domain/side.js";
import type { OrderEvent } from "../store/orders.js";
import type { FillRecord, FirmQuote, OrderRecord } from "../types.js";

/**
 * JSON views of the solver's records, one set of field names for the API, the stream, the SDK and `--json`:
 * amounts that settle are AmountJson (exact base units as a decimal string, plus the value in the asset's
 * units and its symbol), never floats; times are unix seconds of chain time.
 */
export interface SeriesRef {
  seriesId: string;
  instrument: string;
}

export function seriesRef(seriesId: bigint, assets: PairAssets): SeriesRef {
  return { seriesId: seriesId.toString(), instrument: instrumentName(decodeSeriesId(seriesId), assets.quote.decimals) };
}

/** Amount helpers bound to one series: options, and its premium asset. */
export function unitsOf(seriesId: bigint, assets: PairAssets) {
  const terms = decodeSeriesId(seriesId);
  const asset = premiumAssetOf(assets, terms);
  const option = { symbol: instrumentName(terms, assets.quote.decimals), decimals: OPTION_DECIMALS };
  return {
    options: (raw: bigint) => amountJson(raw, option),
    premium: (raw: bigint) => amountJson(raw, asset),
    asset,
  };
}

/** How much better than the AMM's price the user did: positive is better, in the premium asset and bps. */
export function improvementOf(side: number | string, premium: bigint, reference: bigint) {
  const buys = side === 0 || side === "buy";
  const diff = buys ? reference - premium : premium - reference;
  const bps = reference > 0n ? Number((diff * 1_000_000n) / reference) / 100 : 0;
  return { diff, bps };
}

export function quoteView(q: FirmQuote, assets: PairAssets) {
  const u = unitsOf(q.seriesId, assets);
  const improvement = improvementOf(q.side, q.premium, q.ammReferencePremium);
  return {
    quoteId: q.quoteId,
    requester: q.requester,
    ...seriesRef(q.seriesId, assets),
    side: q.side,
    amount: u.options(q.amount),
    premiumAsset: u.asset.address,
    premium: u.premium(q.premium),
    limitPremium: u.premium(q.limitPremium),
    ammReferencePremium: u.premium(q.ammReferencePremium),
    improvement: u.premium(improvement.diff),
    improvementBps: improvement.bps,
    route: q.route,
    reason: q.reason,
    internalAmount: u.options(q.internalAmount),
    ammAmount: u.options(q.ammAmount),
    validUntil: q.validUntil,
    createdAt: q.createdAt,
  };
}
export type QuoteView = ReturnType<typeof quoteView>;

export function orderView(o: OrderRecord, assets: PairAssets, trail?: OrderEvent[]) {
  const u = unitsOf(o.intent.seriesId, assets);
  return {
    orderHash: o.orderHash,
    quoteId: o.quoteId,
    user: o.user,
    ...seriesRef(o.intent.seriesId, assets),
    side: sideName(o.intent.side),
    amount: u.options(o.intent.amount),
    limitPremium: u.premium(o.intent.limitPremium),
    nonce: o.intent.nonce.toString(),
    /** Chain time after which the order cannot fill. */
    deadline: Number(o.intent.deadline),
    status: o.status,
    txHash: o.txHash,
    error: o.errorCode ? { code: o.errorCode, reason: o.errorReason ?? "" } : null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    ...(trail ? { trail: trail.map(eventView) } : {}),
  };
}
export type OrderView = ReturnType<typeof orderView>;

function eventView(e: OrderEvent) {
  return {
    status: e.status,
    at: e.at,
    txHash: e.txHash,
    error: e.errorCode ? { code: e.errorCode, reason: e.errorReason ?? "" } : null,
  };
}

export function fillView(f: FillRecord, assets: PairAssets) {
  const u = unitsOf(f.seriesId, assets);
  const improvement = improvementOf(f.side, f.internalPremium, f.ammReference);
  return {
    orderHash: f.orderHash,
    txHash: f.txHash,
    block: f.block,
    user: f.user,
    recipient: f.recipient,
    ...seriesRef(f.seriesId, assets),
    side: sideName(f.side),
    internalAmount: u.options(f.internalAmount),
    ammAmount: u.options(f.ammAmount),
    premium: u.premium(f.premium),
    internalPremium: u.premium(f.internalPremium),
    ammReferencePremium: u.premium(f.ammReference),
    improvement: u.premium(f.internalAmount > 0n ? improvement.diff : 0n),
    improvementBps: f.internalAmount > 0n ? improvement.bps : 0,
    fee: u.premium(f.fee),
    timestamp: f.timestamp,
    spot: f.spot,
    markoutBps: f.markoutBps,
    markoutUsd: f.markoutUsd,
  };
}
export type FillView = ReturnType<typeof fillView>;

export type { AmountJson, Hex };
