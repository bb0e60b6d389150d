import { expect } from "chai";
import { network } from "hardhat";
import { type Address, type Hex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../../scripts/lib/accounts.js";
import { engineFor } from "../../../scripts/lib/engineHarness.js";
import { fundTrader } from "../../../scripts/lib/orders.js";
import { createSeries, deploySystem, ETH, seedVaults, setVol, USDC } from "../../../scripts/lib/system.js";
import { type Intent, intentTypes, Side, settlementDomain } from "../../../solver/chain/intent.js";
import { decodeSeriesId } from "../../../solver/chain/seriesId.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { ErrorCode, type InternalizerError } from "../../../solver/errors.js";
import { Store } from "../../../solver/store/db.js";
import type { FirmQuote, TradeSide } from "../../../solver/types.js";

const connection = await network.create();
const { networkHelpers } = connection;
const alice = privateKeyToAccount(devKey(4));
const bob = privateKeyToAccount(devKey(5));

/** Seeded vaults, a call and a put 30 days out; the solver holds 20 longs of each and cash; traders funded. */
async function engineFixture() {
  const s = await deploySystem(connection);
  await seedVaults(s);
  const call = await createSeries(s, 3000n, 30, true);
  const put = await createSeries(s, 3000n, 30, false);
  await setVol(s, decodeSeriesId(call).expiry);
  await fundTrader(s, s.solver, 200n * ETH, 2_000_000n * USDC);
  await s.ledger.connect(s.solver).mint(call, 20n * ETH, s.solver.address, s.solver.address);
  await s.ledger.connect(s.solver).mint(put, 20n * ETH, s.solver.address, s.solver.address);
  for (const who of [s.alice, s.bob]) await fundTrader(s, who, 100n * ETH, 1_000_000n * USDC);
  return { s, call, put };
}

async function signedOrder(engine: Engine, quote: FirmQuote, signer = alice, fields: Partial<Intent> = {}) {
  const now = await engine.market.chainTime();
  const intent: Intent = {
    user: signer.address,
    seriesId: quote.seriesId,
    side: { buy: Side.Buy, sellToClose: Side.SellToClose, sellToOpen: Side.SellToOpen }[quote.side],
    amount: quote.amount,
    limitPremium: quote.limitPremium,
    deadline: BigInt(now + 120),
    nonce: BigInt(Math.floor(Math.random() * 2 ** 48)),
    recipient: signer.address,
    exclusiveSolver: zeroAddress,
    quoteId: quote.quoteId,
    ...fields,
  };
  const domain = settlementDomain(engine.opts.clients.chain.id, engine.opts.deployment.contracts.settlement);
  const signature = await signer.signTypedData({ domain, types: intentTypes, primaryType: "Intent", message: intent });
  return { intent, signature: signature as Hex };
}

function request(seriesId: bigint, side: TradeSide, amount: bigint, requester: Address = alice.address) {
  return { requester, seriesId, side, amount };
}

async function declined(p: Promise<unknown>): Promise<InternalizerError> {
  try {
    await p;
  } catch (error) {
    return error as InternalizerError;
  }
  throw new Error("expected a decline");
}

describe("Engine", () => {
  describe("database identity", () => {
    it("restarts on its own database, and refuses one from another chain with STORE_MISMATCH", async () => {
      const { s } = await engineFixture();
      const store = new Store(":memory:");
      await engineFor(s, { store });
      await engineFor(s, { store });
      // A devnet started afresh: the same deployer and nonces give the same addresses, not the same blocks.
      const other = await network.create();
      await other.networkHelpers.time.increase(3600);
      const s2 = await deploySystem(other);
      expect(await s2.settlement.getAddress()).to.equal(await s.settlement.getAddress());
      const error = await engineFor(s2, { store }).catch((e: unknown) => e);
      expect((error as InternalizerError).code).to.equal(ErrorCode.StoreMismatch);
      expect((error as InternalizerError).message).to.contain("belongs to another chain or deployment");
    });
  });

  describe("quote → order → fill", () => {
    it("internalizes a buy it can beat the AMM on, fills it and books it", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const quote = await engine.quote(request(call, "buy", 2n * ETH));
      expect(quote.route).to.equal("internal");
      expect(quote.reason).to.equal("INTERNAL_BETTER");
      expect(quote.premium).to.be.lessThan(quote.ammReferencePremium);
      expect(engine.reservations.size).to.equal(1);

      const order = await engine.acceptOrder(await signedOrder(engine, quote));
      expect(order.status).to.equal("accepted");
      await engine.tick();
      const done = engine.getOrder(order.orderHash)!;
      expect(done.status).to.equal("filled");
      expect(done.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(await s.ledger.balanceOf(alice.address, call)).to.equal(2n * ETH);
      expect(engine.inventory.position(call).longs).to.equal(18n * ETH);
      expect(engine.reservations.size).to.equal(0);
      expect(engine.getQuote(quote.quoteId)!.status).to.equal("filled");
    });

    it("routes a sell to close through its book and pays the user more than the AMM's bid", async () => {
      const { s, put } = await networkHelpers.loadFixture(engineFixture);
      await s.ledger.connect(s.solver).safeTransferFrom(s.solver.address, alice.address, put, 3n * ETH, "0x");
      // With the vault's own vols, the solver's tighter spread gives the better bid.
      const engine = await engineFor(s, { config: { pricing: { vol: { atmVol: 0.8, skew: -0.1, curvature: 0.2 } } } });
      const quote = await engine.quote(request(put, "sellToClose", 3n * ETH));
      expect(quote.route).to.equal("internal");
      expect(quote.premium).to.be.greaterThan(quote.ammReferencePremium);
      const before = await s.usdc.balanceOf(alice.address);
      const order = await engine.acceptOrder(await signedOrder(engine, quote));
      await engine.tick();
      expect(engine.getOrder(order.orderHash)!.status).to.equal("filled");
      expect((await s.usdc.balanceOf(alice.address)) - before).to.be.greaterThanOrEqual(quote.premium);
    });

    it("splits when limits cap the internal part, and fills both legs in one transaction", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s, { config: { limits: { maxSeriesPosition: 3 } } });
      // The solver is flat (20 longs, 20 shorts): it may go 3 options short, the AMM takes the rest.
      const quote = await engine.quote(request(call, "buy", 5n * ETH));
      expect(quote.route).to.equal("split");
      expect(quote.reason).to.equal("CAPACITY_SPLIT");
      expect(quote.internalAmount).to.equal(3n * ETH);
      expect(quote.ammAmount).to.equal(2n * ETH);
      const order = await engine.acceptOrder(await signedOrder(engine, quote));
      await engine.tick();
      expect(engine.getOrder(order.orderHash)!.status).to.equal("filled");
      expect(await s.ledger.balanceOf(alice.address, call)).to.equal(5n * ETH);
    });

    it("sends everything to the AMM when its limits allow no internal part", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s, { config: { limits: { maxNetDeltaUsd: 1 } } });
      const quote = await engine.quote(request(call, "buy", ETH));
      expect(quote.route).to.equal("amm");
      expect(quote.reason).to.equal("CAPACITY_AMM");
      expect(quote.premium).to.equal(quote.ammReferencePremium);
      const order = await engine.acceptOrder(await signedOrder(engine, quote));
      await engine.tick();
      expect(engine.getOrder(order.orderHash)!.status).to.equal("filled");
    });

    it("batches several ready orders into one transaction", async () => {
      const { s, call, put } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const q1 = await engine.quote(request(call, "buy", ETH));
      const q2 = await engine.quote(request(put, "buy", ETH, bob.address));
      const o1 = await engine.acceptOrder(await signedOrder(engine, q1));
      const o2 = await engine.acceptOrder(await signedOrder(engine, q2, bob));
      await engine.tick();
      const [f1, f2] = [engine.getOrder(o1.orderHash)!, engine.getOrder(o2.orderHash)!];
      expect(f1.status).to.equal("filled");
      expect(f2.status).to.equal("filled");
      expect(f1.txHash).to.equal(f2.txHash);
    });
  });

  describe("declines", () => {
    it("declines unknown, expired, oversized and empty requests with their codes", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s, { config: { limits: { maxOrderSize: 10 } } });
      expect((await declined(engine.quote(request(call + 1n, "buy", ETH)))).code).to.equal(ErrorCode.SeriesUnknown);
      expect((await declined(engine.quote(request(call, "buy", 11n * ETH)))).code).to.equal(ErrorCode.SizeTooLarge);
      expect((await declined(engine.quote(request(call, "buy", 0n)))).code).to.equal(ErrorCode.SizeInvalid);
      await networkHelpers.time.increaseTo(decodeSeriesId(call).expiry + 1);
      expect((await declined(engine.quote(request(call, "buy", ETH)))).code).to.equal(ErrorCode.SeriesExpired);
    });

    it("stops quoting on a stale oracle, with the reason, until the operator resumes", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      await networkHelpers.time.increase(3601);
      expect((await declined(engine.quote(request(call, "buy", ETH)))).code).to.equal(ErrorCode.OracleStale);
      expect(engine.killSwitch.state).to.include({ paused: true, reason: "ORACLE_STALE" });
      await s.oracle.pushAnswer(3000n * 10n ** 8n);
      expect((await declined(engine.quote(request(call, "buy", ETH)))).code).to.equal(ErrorCode.SolverPaused);
      engine.killSwitch.resume();
      await setVol(s, decodeSeriesId(call).expiry);
      expect((await engine.quote(request(call, "buy", ETH))).route).to.equal("internal");
    });
  });

  describe("orders", () => {
    it("rejects orders that do not match their quote, with their codes", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const quote = await engine.quote(request(call, "buy", 2n * ETH));
      const cases: Array<[Partial<Intent>, string]> = [
        [{ amount: ETH }, ErrorCode.QuoteMismatch],
        [{ limitPremium: quote.premium - 1n }, ErrorCode.QuoteMismatch],
        [{ side: Side.SellToClose }, ErrorCode.QuoteMismatch],
        [{ quoteId: `0x${"ab".repeat(32)}` as Hex }, ErrorCode.QuoteUnknown],
      ];
      for (const [fields, code] of cases) {
        expect((await declined(engine.acceptOrder(await signedOrder(engine, quote, alice, fields)))).code).to.equal(
          code,
        );
      }
      // Signed by someone else for alice.
      const forged = await signedOrder(engine, quote, bob, { user: alice.address });
      expect((await declined(engine.acceptOrder(forged))).code).to.equal(ErrorCode.SignatureInvalid);
      // A valid one, then the same quote again.
      await engine.acceptOrder(await signedOrder(engine, quote));
      expect((await declined(engine.acceptOrder(await signedOrder(engine, quote)))).code).to.equal(
        ErrorCode.OrderDuplicate,
      );
    });

    it("never submits an order whose quote expired", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const quote = await engine.quote(request(call, "buy", ETH));
      const order = await engine.acceptOrder(await signedOrder(engine, quote));
      await networkHelpers.time.increase(31);
      await s.oracle.pushAnswer(3000n * 10n ** 8n);
      await engine.tick();
      const failed = engine.getOrder(order.orderHash)!;
      expect(failed.status).to.equal("failed");
      expect(failed.error).to.match(/^QUOTE_EXPIRED/);
      expect(await s.settlement.isNonceUsed(alice.address, order.intent.nonce)).to.equal(false);
    });

    it("rejects an order whose nonce the user already cancelled", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const quote = await engine.quote(request(call, "buy", ETH));
      const signed = await signedOrder(engine, quote);
      const n = signed.intent.nonce;
      await s.settlement.connect(s.alice).invalidateNonces(n >> 8n, 1n << (n & 255n));
      expect((await declined(engine.acceptOrder(signed))).code).to.equal(ErrorCode.NonceUsed);
    });
  });

  describe("reservations", () => {
    it("never over-commits its limits under many concurrent requests", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      // From flat, the solver may sell at most 10 options of the series.
      const engine = await engineFor(s, { config: { limits: { maxSeriesPosition: 10 } } });
      const requests = Array.from({ length: 25 }, (_, i) =>
        engine.quote(request(call, "buy", ETH, i % 2 ? bob.address : alice.address)),
      );
      const results = await Promise.allSettled(requests);
      const quotes = results
        .filter((r): r is PromiseFulfilledResult<FirmQuote> => r.status === "fulfilled")
        .map((r) => r.value);
      const internal = quotes.reduce((sum, q) => sum + q.internalAmount, 0n);
      expect(internal).to.be.lessThanOrEqual(10n * ETH);
      expect(internal).to.equal(10n * ETH);
      // The rest went to the AMM rather than over the limit.
      expect(quotes.filter((q) => q.route === "amm").length).to.equal(15);
    });

    it("releases an expired quote's reservation", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      await engine.quote(request(call, "buy", ETH));
      expect(engine.reservations.size).to.equal(1);
      await networkHelpers.time.increase(31);
      await engine.tick();
      expect(engine.reservations.size).to.equal(0);
    });
  });
});
