import { expect } from "chai";
import { type Address, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { intentForQuote, intentTypes, settlementDomain } from "../../../solver/chain/intent.js";
import { rfqDomain, signedQuoteMessage, signedQuoteTypes } from "../../../solver/chain/rfq.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import type { TradeSide } from "../../../solver/domain/side.js";
import { ErrorCode, type InternalizerError } from "../../../solver/errors.js";
import type { SignedQuote } from "../../../solver/types.js";
import { DEPLOYMENT, ETH, type FakeEngine, fakeEngine, fakeReceipt, series, USDC } from "../../support/fakeEngine.js";

const alice = privateKeyToAccount("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
const mallory = privateKeyToAccount("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
const CALL = series(3000, 30, true);
const PUT = series(3000, 30, false);

/** An engine on fakes with a 30-day call and put at the money; the AMM's mid above the solver's value. */
async function setup(config: Parameters<typeof fakeEngine>[0] = {}): Promise<FakeEngine> {
  const f = fakeEngine(config);
  f.market.add(CALL, decodeSeriesId(CALL), 12n * 10n ** 16n);
  f.market.add(PUT, decodeSeriesId(PUT), 400n * USDC);
  f.market.fund(alice.address);
  await f.engine.init();
  return f;
}

const request = (seriesId: bigint, side: TradeSide, amount = ETH, requester: Address = alice.address) => ({
  requester,
  seriesId,
  side,
  amount,
});

async function declineCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as InternalizerError).code;
  }
  throw new Error("expected a decline");
}

async function signedOrder(q: SignedQuote, signer = alice, nonce = 1n) {
  const intent = intentForQuote(q, { user: signer.address, nonce, solver: q.solver });
  const signature = await signer.signTypedData({
    domain: settlementDomain(DEPLOYMENT.chainId, DEPLOYMENT.contracts.settlement),
    types: intentTypes,
    primaryType: "Intent",
    message: intent,
  });
  return { intent, signature };
}

describe("Engine on fakes (no chain)", () => {
  describe("quote: resolve → price → capacity → route → accounts → reserve → sign", () => {
    it("returns a quote already signed by the solver, over exactly what it promises", async () => {
      const { engine } = await setup();
      const q = await engine.quote(request(CALL, "buy"));
      const signer = await recoverTypedDataAddress({
        domain: rfqDomain(DEPLOYMENT.chainId, DEPLOYMENT.contracts.settlement),
        types: signedQuoteTypes,
        primaryType: "Quote",
        message: signedQuoteMessage(q),
        signature: q.signature,
      });
      expect(signer).to.equal(engine.solver);
      expect(q.solver).to.equal(engine.solver);
    });

    it("internalizes a buy it can price below the AMM, and reserves the headroom it promised", async () => {
      const { engine } = await setup();
      const q = await engine.quote(request(CALL, "buy", 2n * ETH));
      expect(q.route).to.equal("internal");
      expect(q.internalAmount).to.equal(2n * ETH);
      expect(q.premium < q.ammReferencePremium).to.equal(true);
      expect(engine.reservations.active(engine.market.lastChainTime()!)).to.have.length(1);
      expect(engine.getQuote(q.quoteId)?.status).to.equal("open");
    });

    it("routes to the AMM when the limits leave no internal capacity", async () => {
      const { engine } = await setup({ config: { limits: { maxNetDeltaUsd: 1 } } });
      const q = await engine.quote(request(CALL, "buy"));
      expect(q.route).to.equal("amm");
      expect(q.internalAmount).to.equal(0n);
      expect(engine.reservations.active(engine.market.lastChainTime()!)).to.have.length(0);
    });

    it("sends everything to the AMM under the always-AMM baseline, with no strategy branch in the steps", async () => {
      const { engine } = await setup({ strategy: "alwaysAmm" });
      expect((await engine.quote(request(CALL, "buy"))).route).to.equal("amm");
    });

    it("declines unknown, expired, empty and oversized requests with their codes", async () => {
      const f = await setup();
      const expired = series(3000, -1, true);
      f.market.add(expired, decodeSeriesId(expired), 10n ** 16n);
      expect(await declineCode(f.engine.quote(request(series(9999, 30, true), "buy")))).to.equal(
        ErrorCode.SeriesUnknown,
      );
      expect(await declineCode(f.engine.quote(request(expired, "buy")))).to.equal(ErrorCode.SeriesExpired);
      expect(await declineCode(f.engine.quote(request(CALL, "buy", 0n)))).to.equal(ErrorCode.SizeInvalid);
      expect(await declineCode(f.engine.quote(request(CALL, "buy", 10_000n * ETH)))).to.equal(ErrorCode.SizeTooLarge);
    });

    it("declines ALLOWANCE_MISSING with the approve call, after one fresh read", async () => {
      const f = await setup();
      f.market.balances.set(`${DEPLOYMENT.contracts.usdc}:${mallory.address}`.toLowerCase(), 10n ** 12n);
      const code = await declineCode(f.engine.quote(request(PUT, "buy", ETH, mallory.address)));
      expect(code).to.equal(ErrorCode.AllowanceMissing);
      expect(f.market.refreshes).to.be.greaterThan(0);
    });

    it("declines CHAIN_UNAVAILABLE while the node is down and trips the kill switch, which lifts at the next tick", async () => {
      const f = await setup();
      f.market.down = true;
      expect(await declineCode(f.engine.quote(request(CALL, "buy")))).to.equal(ErrorCode.ChainUnavailable);
      expect(f.engine.killSwitch.state.reason).to.equal("CHAIN_UNREACHABLE");
      f.market.down = false;
      await f.engine.tick();
      expect((await f.engine.quote(request(CALL, "buy"))).route).to.equal("internal");
      expect(f.engine.killSwitch.paused).to.equal(false);
    });

    it("declines SOLVER_PAUSED while the operator has paused quoting", async () => {
      const f = await setup();
      f.engine.killSwitch.trip("MANUAL", "test", f.market.now);
      expect(await declineCode(f.engine.quote(request(CALL, "buy")))).to.equal(ErrorCode.SolverPaused);
    });
  });

  describe("limits at run time", () => {
    it("changes limits only through setLimits, validated: a bad value changes nothing", async () => {
      const { engine, ctx } = await setup();
      const before = engine.limits;
      expect(() => engine.setLimits({ maxNetDeltaUsd: -5 })).to.throw();
      expect(engine.limits).to.equal(before);
      expect(engine.setLimits({ maxNetDeltaUsd: 123 }).maxNetDeltaUsd).to.equal(123);
      expect(ctx.config.limits.maxNetDeltaUsd).to.not.equal(123);
      expect(Object.isFrozen(engine.limits)).to.equal(true);
    });
  });

  describe("orders", () => {
    it("accepts a signed order for an open quote and queues it; the same order again is ORDER_DUPLICATE", async () => {
      const f = await setup();
      const q = await f.engine.quote(request(CALL, "buy"));
      const order = await f.engine.acceptOrder(await signedOrder(q));
      expect(order.status).to.equal("accepted");
      expect(f.submitter.queue.map((o) => o.orderHash)).to.deep.equal([order.orderHash]);
      expect(await declineCode(f.engine.acceptOrder(await signedOrder(q)))).to.equal(ErrorCode.OrderDuplicate);
    });

    it("refuses an order signed by someone else (SIGNATURE_INVALID) or on a spent nonce (NONCE_USED)", async () => {
      const f = await setup();
      const q = await f.engine.quote(request(CALL, "buy"));
      const forged = await signedOrder(q, mallory);
      forged.intent.user = alice.address;
      expect(await declineCode(f.engine.acceptOrder(forged))).to.equal(ErrorCode.SignatureInvalid);
      f.chain.usedNonces.add(`${alice.address.toLowerCase()}:7`);
      expect(await declineCode(f.engine.acceptOrder(await signedOrder(q, alice, 7n)))).to.equal(ErrorCode.NonceUsed);
    });

    it("refuses an order whose quote can no longer be mined in time (QUOTE_EXPIRED) and frees its reservation", async () => {
      const f = await setup();
      const q = await f.engine.quote(request(CALL, "buy"));
      f.market.now = q.validUntil + 1;
      expect(await declineCode(f.engine.acceptOrder(await signedOrder(q)))).to.equal(ErrorCode.QuoteExpired);
      expect(f.engine.getQuote(q.quoteId)?.status).to.equal("expired");
      expect(f.engine.reservations.active(q.createdAt)).to.have.length(0);
    });

    it("cancels a queued order, releasing its reservation; a cancelled order cannot be cancelled again", async () => {
      const f = await setup();
      const q = await f.engine.quote(request(CALL, "buy"));
      const order = await f.engine.acceptOrder(await signedOrder(q));
      expect(f.engine.cancelOrder(order.orderHash).status).to.equal("cancelled");
      expect(f.submitter.queue).to.have.length(0);
      expect(f.engine.reservations.active(q.createdAt)).to.have.length(0);
      expect(() => f.engine.cancelOrder(order.orderHash))
        .to.throw()
        .with.property("code", ErrorCode.OrderNotCancellable);
    });
  });

  describe("cancel while the submitter is sending", () => {
    it("refuses ORDER_NOT_CANCELLABLE for an accepted order already taken for a transaction, and says so", async () => {
      const f = await setup();
      const q = await f.engine.quote(request(CALL, "buy"));
      const order = await f.engine.acceptOrder(await signedOrder(q));
      f.submitter.queue.length = 0; // taken into a batch being sent: no longer withdrawable
      let refused: InternalizerError | undefined;
      try {
        f.engine.cancelOrder(order.orderHash);
      } catch (error) {
        refused = error as InternalizerError;
      }
      expect([refused?.code, refused?.message]).to.deep.equal([
        ErrorCode.OrderNotCancellable,
        "the order is already in a settlement transaction; invalidate its nonce on chain to stop it",
      ]);
      expect(f.engine.getOrder(order.orderHash)?.status).to.equal("accepted");
    });
  });

  describe("fill booking", () => {
    it("books an internal fill once: the book moves, the reservation goes, a replay changes nothing", async () => {
      const f = await setup();
      const q = await f.engine.quote(request(CALL, "buy", 2n * ETH));
      const order = await f.engine.acceptOrder(await signedOrder(q));
      const cashBefore = f.engine.inventory.cash.weth;
      const event = {
        orderHash: order.orderHash,
        user: alice.address,
        solver: f.engine.solver,
        seriesId: CALL,
        side: 0,
        internalAmount: q.internalAmount,
        ammAmount: 0n,
        premium: q.premium,
        internalPremium: q.internalPremium,
        ammReferencePremium: q.ammReferencePremium,
        logIndex: 0,
      };
      await f.fills.filled(order, event, fakeReceipt());
      await f.fills.filled(order, event, fakeReceipt());
      const position = f.engine.inventory.position(CALL);
      expect(position.shorts).to.equal(2n * ETH);
      // Writing the calls locks their collateral (one WETH each), which leaves the cash.
      expect(f.engine.inventory.cash.weth - cashBefore).to.equal(q.internalPremium - 2n * ETH);
      expect(f.engine.getOrder(order.orderHash)?.status).to.equal("filled");
      expect(f.engine.reservations.active(q.createdAt)).to.have.length(0);
    });
  });
});
