import { expect } from "chai";
import { encodeErrorResult, zeroAddress } from "viem";
import { optionSettlementAbi } from "../../../solver/chain/abis.js";
import type { Clients } from "../../../solver/chain/clients.js";
import type { Deployment } from "../../../solver/config/schema.js";
import { ErrorCode } from "../../../solver/errors.js";
import { silentLogger } from "../../../solver/log.js";
import type { MarketData } from "../../../solver/market/marketData.js";
import { Submitter } from "../../../solver/settlement/submitter.js";
import type { FirmQuote, OrderRecord } from "../../../solver/types.js";

const order = {
  orderHash: `0x${"11".repeat(32)}`,
  quoteId: `0x${"22".repeat(32)}`,
  user: zeroAddress,
  intent: { side: 0, seriesId: 1n, deadline: 2000n },
  signature: "0x",
  params: { internalAmount: 0n, internalPremium: 0n, mintAmount: 0n, ammPremium: 0n },
} as unknown as OrderRecord;

function submitter(simulate: () => Promise<unknown>, quote: Partial<FirmQuote> = { validUntil: 2000 }) {
  const failed: Array<{ code: string; reason: string }> = [];
  let calls = 0;
  const clients = {
    account: { address: zeroAddress },
    publicClient: {
      simulateContract: async () => {
        calls++;
        return simulate();
      },
      getTransactionCount: async () => 0,
    },
    walletClient: {},
  } as unknown as Clients;
  const s = new Submitter(
    clients,
    { contracts: { settlement: zeroAddress } } as unknown as Deployment,
    {} as MarketData,
    { batchWindowMs: 0, maxBatch: 10, maxRetries: 2, maxRequoteBps: 100 },
    {
      quoteOf: () => quote as FirmQuote,
      now: async () => 1000,
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
    expect(failed).to.deep.equal([{ code: ErrorCode.SettlementReverted, reason: "IntentExpired" }]);
  });

  it("never submits an order whose quote expired", async () => {
    const { s, failed, calls } = submitter(async () => ({}), { validUntil: 999 });
    s.enqueue(order);
    await s.flush();
    expect(calls()).to.equal(0);
    expect(failed[0]!.code).to.equal(ErrorCode.QuoteExpired);
  });
});
