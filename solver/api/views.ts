import type { FillRecord, FirmQuote, OrderRecord } from "../types.js";
import { SIDE_NAME } from "../types.js";

/** JSON views of the solver's records: on-chain amounts as decimal strings, never floats. */
export function quoteView(q: FirmQuote) {
  return {
    quoteId: q.quoteId,
    requester: q.requester,
    seriesId: q.seriesId.toString(),
    side: q.side,
    amount: q.amount.toString(),
    premiumAsset: q.premiumAsset,
    premium: q.premium.toString(),
    limitPremium: q.limitPremium.toString(),
    route: q.route,
    reason: q.reason,
    validUntil: q.validUntil,
    ammReferencePremium: q.ammReferencePremium.toString(),
    internalAmount: q.internalAmount.toString(),
    ammAmount: q.ammAmount.toString(),
  };
}

export function orderView(o: OrderRecord) {
  return {
    orderHash: o.orderHash,
    quoteId: o.quoteId,
    user: o.user,
    status: o.status,
    txHash: o.txHash,
    error: o.error,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function fillView(f: FillRecord) {
  return {
    orderHash: f.orderHash,
    txHash: f.txHash,
    block: f.block,
    user: f.user,
    seriesId: f.seriesId.toString(),
    side: SIDE_NAME[f.side],
    internalAmount: f.internalAmount.toString(),
    ammAmount: f.ammAmount.toString(),
    premium: f.premium.toString(),
    internalPremium: f.internalPremium.toString(),
    ammReferencePremium: f.ammReference.toString(),
    timestamp: f.timestamp,
    spot: f.spot,
    markoutBps: f.markoutBps,
    markoutUsd: f.markoutUsd,
  };
}
