import { expect } from "chai";
import { encodeErrorResult, zeroAddress } from "viem";
import { optionSettlementAbi } from "../../../solver/chain/abis.js";
import type { Clients } from "../../../solver/chain/clients.js";
import type { Deployment } from "../../../solver/config/schema.js";
import { ErrorCode } from "../../../solver/errors.js";
import { silentLogger } from "../../../solver/log.js";
import type { MarketData } from "../../../solver/market/marketData.js";
import { Submitter } from "../../../solver/settlement/submitter.js";
import { TxSender } from "../../../solver/settlement/txSender.js";
import type { FirmQuote, OrderRecord } from "../../../solver/types.js";

const order = {
  orderHash: `0x${"11".repeat(32)}`,
  quoteId: `0x${"22".repeat(32)}`,
  user: zeroAddress,
  intent: { side: 0, seriesId: 1n, deadline: 2000n },
  signature: "0x",
  params: { internalAmount: 0n, internalPremium: 0n, mintAmount: 0n, ammPremium: 0n },
} as unknown as OrderRecord;

function submitter(
  simulate: () => Promise<unknown>,
  quote: Partial<FirmQuote> = { validUntil: 2000 },
  nonceUsed = false,
) {
  const failed: Array<{ code: string; reason: string }> = [];
  let calls = 0;
  const clients = {
    account: { address: zeroAddress },
    publicClient: {
      simulateContract: async () => {
        calls++;
        return simulate();
      },
      readContract: async () => nonceUsed,
      getTransactionCount: async () => 0,
    },
    walletClient: {},
  } as unknown as Clients;
  const s = new Submitter(
    clients,
    { contracts: { settlement: zeroAddress } } as unknown as Deployment,
    {} as MarketData,
    new TxSender(clients),
    { batchWindowMs: 0, maxBatch: 10, maxRetries: 2, maxRequoteBps: 100, inclusionMarginSeconds: 2 },
    {
      quoteOf: () => quote as FirmQuote,
      current: (o) => ({ ...o, status: "accepted" }),
      nextBlockTime: async () => 1000,
      onSubmitted: () => undefined,
      onFilled: async () => undefined,
      onFailed: (_o, code, reason) => void failed.push({ code, reason }),
    },
    silentLogger(),
  );
  return { s, failed, calls: () => calls };
}

describe("Submitter", () => {
  it("retries a transient failure a bounded number of times, then fails the order", async () => {
    const { s, failed, calls } = submitter(async () => {
      throw new Error("socket hang up");
    });
    s.enqueue(order);
    await s.flush();
    expect(calls()).to.equal(3);
    expect(failed).to.have.length(1);
    expect(failed[0]!.code).to.equal(ErrorCode.SettlementFailed);
    expect(failed[0]!.reason).to.match(/^gave up after 3 attempts/);
  });

  it("fails a reverting order at once with its decoded custom error", async () => {
    const data = encodeErrorResult({ abi: optionSettlementAbi, errorName: "IntentExpired", args: [5n] });
    const { s, failed, calls } = submitter(async () => {
      throw Object.assign(new Error("reverted"), { data });
    });
    s.enqueue(order);
    await s.flush();
    expect(calls()).to.equal(1);
    expect(failed).to.deep.equal([
      {
        code: ErrorCode.QuoteExpired,
        reason: "IntentExpired: the order's deadline 1970-01-01T00:00:05Z (chain time) has passed",
      },
    ]);
  });

  it("never submits an order whose quote expired", async () => {
    const { s, failed, calls } = submitter(async () => ({}), { validUntil: 999 });
    s.enqueue(order);
    await s.flush();
    expect(calls()).to.equal(0);
    expect(failed[0]!.code).to.equal(ErrorCode.QuoteExpired);
  });

  it("never submits an order that the next block's time plus the inclusion margin would expire", async () => {
    // The next block can be at 1000 at the earliest; with a 2 s margin, a quote valid until 1001 is not sent.
    const { s, failed, calls } = submitter(async () => ({}), { validUntil: 1001 });
    s.enqueue(order);
    await s.flush();
    expect(calls()).to.equal(0);
    expect(failed).to.deep.equal([
      { code: ErrorCode.QuoteExpired, reason: "the quote expired before the fill could be mined" },
    ]);
  });

  it("never submits an order whose nonce is already spent on chain, and says so", async () => {
    const { s, failed, calls } = submitter(async () => ({}), { validUntil: 2000 }, true);
    s.enqueue(order);
    await s.flush();
    expect(calls()).to.equal(0);
    expect(failed).to.deep.equal([
      { code: ErrorCode.NonceUsed, reason: "the order's nonce was used or cancelled on chain" },
    ]);
  });

  it("reports a settlement transaction mined reverted: each order fails, and the revert is counted", async () => {
    const reverted: number[] = [];
    const { s, failed } = submitter(async () => ({}));
    (s.hooks as { onReverted?: (tx: string, n: number) => void }).onReverted = (_tx, n) => void reverted.push(n);
    await s.report([{ order, params: order.params }], {
      status: "reverted",
      transactionHash: "0x01",
      logs: [],
    } as never);
    expect(reverted).to.deep.equal([1]);
    expect(failed).to.deep.equal([{ code: ErrorCode.SettlementReverted, reason: "the transaction reverted" }]);
  });

  it("holds a queued order for the batch window on the tick's flush, and sends it once the window passed", async () => {
    const { s, calls } = submitter(async () => {
      throw new Error("socket hang up");
    });
    s.enqueue(order);
    await s.flush({ minAgeMs: 200 });
    expect(calls()).to.equal(0);
    expect(s.pending).to.equal(1);
    await new Promise((r) => setTimeout(r, 220));
    await s.flush({ minAgeMs: 200 });
    expect(calls()).to.equal(3);
    expect(s.pending).to.equal(0);
  });

  it("sends at once on a flush without a window (shutdown, the simulation)", async () => {
    const { s, calls } = submitter(async () => {
      throw new Error("socket hang up");
    });
    s.enqueue(order);
    await s.flush();
    expect(calls()).to.be.greaterThan(0);
    expect(s.pending).to.equal(0);
  });

  it("takes back a queued order on request, and only a queued one", () => {
    const { s } = submitter(async () => ({}));
    s.enqueue(order);
    expect(s.withdraw(order.orderHash)).to.equal(true);
    expect(s.withdraw(order.orderHash)).to.equal(false);
    expect(s.pending).to.equal(0);
  });
});
