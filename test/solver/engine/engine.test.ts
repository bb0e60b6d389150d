import { expect } from "chai";
import { network } from "hardhat";
import { type Address, type Hex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../../scripts/lib/accounts.js";
import { engineFor } from "../../../scripts/lib/engineHarness.js";
import { fundTrader } from "../../../scripts/lib/orders.js";
import { createSeries, deploySystem, ETH, seedVaults, setVol, USDC } from "../../../scripts/lib/system.js";
import { type Intent, intentTypes, settlementDomain } from "../../../solver/chain/intent.js";
import { decodeSeriesId, encodeSeriesId } from "../../../solver/domain/seriesId.js";
import type { TradeSide } from "../../../solver/domain/side.js";
import { Side } from "../../../solver/domain/side.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { ErrorCode, type InternalizerError } from "../../../solver/errors.js";
import { Store } from "../../../solver/store/db.js";
import type { FirmQuote, SignedQuote } from "../../../solver/types.js";
import { expectClose } from "../../support/approx.js";

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
  const intent: Intent = {
    user: signer.address,
    seriesId: quote.seriesId,
    side: { buy: Side.Buy, sellToClose: Side.SellToClose, sellToOpen: Side.SellToOpen }[quote.side],
    amount: quote.amount,
    limitPremium: quote.limitPremium,
    deadline: BigInt(quote.validUntil),
    nonce: BigInt(Math.floor(Math.random() * 2 ** 48)),
    recipient: signer.address,
    exclusiveSolver: zeroAddress,
    quoteId: quote.quoteId,
    ...fields,
  };
  const domain = settlementDomain(engine.chainId, engine.deployment.contracts.settlement);
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

    it("declines a request its flow model scores above the decline threshold with FLOW_TOXIC, holding nothing", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s, { config: { flow: { ammAbove: 0.0001, declineAbove: 0.0002 } } });
      const scores: number[] = [];
      engine.events.on("flow", (a: { score: { informed: number } | null }) => scores.push(a.score?.informed ?? -1));
      const error = await declined(engine.quote(request(call, "buy", ETH)));
      expect(error.code).to.equal(ErrorCode.FlowToxic);
      expect(error.message).to.equal("the request's features score as informed flow");
      expect(scores).to.have.length(1);
      expect(scores[0]).to.be.above(0.0002);
      expect((error.details as { informed: number }).informed).to.be.above(0.0002);
      expect(engine.reservations.size).to.equal(0);
      // The same request under the default thresholds is quoted: the refusal came from the threshold alone.
      const plain = await engineFor(s);
      expect((await plain.quote(request(call, "buy", ETH))).amount).to.equal(ETH);
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
      expect(failed.errorCode).to.equal(ErrorCode.QuoteExpired);
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

  describe("validity on chain time", () => {
    it("refuses an order for a quote that has expired, in its first second after expiry too", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const quote = await engine.quote(request(call, "buy", ETH));
      const order = await signedOrder(engine, quote);
      // The latest block is stamped exactly validUntil: the next one, where a fill would land, is later.
      await networkHelpers.time.setNextBlockTimestamp(quote.validUntil);
      await networkHelpers.mine();
      const refused = await declined(engine.acceptOrder(order));
      expect(refused.code).to.equal(ErrorCode.QuoteExpired);
      expect(refused.details).to.include({ validUntil: quote.validUntil });
    });

    it("refuses an order that could not be mined before the quote expires (the inclusion margin)", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const quote = await engine.quote(request(call, "buy", ETH));
      await networkHelpers.time.setNextBlockTimestamp(quote.validUntil - 2);
      await networkHelpers.mine();
      expect((await declined(engine.acceptOrder(await signedOrder(engine, quote)))).code).to.equal(
        ErrorCode.QuoteExpired,
      );
    });

    it("refuses an intent whose deadline is after the quote's validity", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const quote = await engine.quote(request(call, "buy", ETH));
      const late = await signedOrder(engine, quote, alice, { deadline: BigInt(quote.validUntil + 1) });
      const refused = await declined(engine.acceptOrder(late));
      expect([refused.code, refused.message]).to.deep.equal([
        ErrorCode.QuoteMismatch,
        "intent does not match the quote: the deadline is after the quote's validity",
      ]);
    });
  });

  describe("quotes that can settle", () => {
    it("declines a sell of more options than the wallet holds with INSUFFICIENT_BALANCE", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      await s.ledger.connect(s.alice).mint(call, 2n * ETH, s.alice.address, s.alice.address);
      const refused = await declined(engine.quote(request(call, "sellToClose", 50n * ETH)));
      expect(refused.code).to.equal(ErrorCode.InsufficientBalance);
      const { needed, available } = refused.details as Record<string, { raw: string; formatted: string }>;
      expect([needed!.raw, needed!.formatted, available!.formatted]).to.deep.equal([(50n * ETH).toString(), "50", "2"]);
      expect((await engine.quote(request(call, "sellToClose", 2n * ETH))).amount).to.equal(2n * ETH);
    });

    it("declines a buy without an allowance with ALLOWANCE_MISSING, naming the approve call to send", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      await s.weth.connect(s.alice).approve(await s.settlement.getAddress(), 0n);
      const refused = await declined(engine.quote(request(call, "buy", ETH)));
      expect(refused.code).to.equal(ErrorCode.AllowanceMissing);
      const [approval] = refused.details!.approvals as Array<{ to: string; call: string; spender: string }>;
      expect(approval!.to).to.equal(await s.weth.getAddress());
      expect(approval!.spender).to.equal(await s.settlement.getAddress());
      expect(approval!.call).to.match(/^approve\(0x[0-9a-fA-F]{40}, \d+\)$/);
      // An approval mined a moment ago is seen: the check reads a fresh block before declining.
      await s.weth.connect(s.alice).approve(await s.settlement.getAddress(), ETH);
      expect((await engine.quote(request(call, "buy", ETH))).route).to.equal("internal");
    });

    it("declines a sell without the settlement as ERC-1155 operator with APPROVAL_MISSING", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      await s.ledger.connect(s.alice).mint(call, ETH, s.alice.address, s.alice.address);
      await s.ledger.connect(s.alice).setApprovalForAll(await s.settlement.getAddress(), false);
      const refused = await declined(engine.quote(request(call, "sellToClose", ETH)));
      expect(refused.code).to.equal(ErrorCode.ApprovalMissing);
      expect((refused.details!.approvals as Array<{ call: string }>)[0]!.call).to.match(/^setApprovalForAll\(/);
    });

    it("declines a sell-to-open without the write approval, and without the collateral's allowance", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      await s.ledger.connect(s.alice).setWriteApproval(await s.settlement.getAddress(), false);
      const noWrite = await declined(engine.quote(request(call, "sellToOpen", ETH)));
      expect(noWrite.code).to.equal(ErrorCode.ApprovalMissing);
      expect((noWrite.details!.approvals as Array<{ call: string }>)[0]!.call).to.match(/^setWriteApproval\(/);
      await s.weth.connect(s.alice).approve(await s.ledger.getAddress(), 0n);
      const neither = await declined(engine.quote(request(call, "sellToOpen", ETH)));
      expect(neither.code).to.equal(ErrorCode.AllowanceMissing);
      expect((neither.details!.approvals as unknown[]).length).to.equal(2);
    });
  });

  describe("chain state a client just changed", () => {
    it("quotes a series whose vols were set a moment ago, though its cached block is older", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      // A solver whose block number may be a minute stale (stale-while-revalidate), as on a busy node.
      const engine = await engineFor(s, { pollingInterval: 60_000 });
      const expiry = decodeSeriesId(call).expiry + 86_400;
      await s.ledger.createSeries(await s.weth.getAddress(), await s.usdc.getAddress(), 3000n * USDC, expiry, true);
      const fresh = encodeSeriesId({ ...decodeSeriesId(call), expiry });
      await engine.market.refresh();
      expect((await declined(engine.quote(request(fresh, "buy", ETH)))).code).to.equal(ErrorCode.NoLiquidity);
      await setVol(s, expiry);
      expect((await engine.quote(request(fresh, "buy", ETH))).seriesId).to.equal(fresh);
    });
  });

  describe("capital", () => {
    it("follows the operator's deposits and withdrawals: the book's cash moves, its PnL does not", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const before = await engine.pnlNow();
      const cash = engine.inventory.cash.weth;
      // In: a faucet mint to the solver. Out: the solver's key sends WETH away. A fill in between is trading.
      await s.weth.faucet(engine.solver, 5n * ETH);
      const quote = await engine.quote(request(call, "buy", ETH));
      await engine.acceptOrder(await signedOrder(engine, quote));
      await engine.tick();
      await s.weth.connect(s.solver).transfer(s.carol.address, 2n * ETH);
      await new Promise((r) => setTimeout(r, 2_100));
      await engine.tick();
      expect(engine.inventory.cash).to.deep.equal((await engine.readBook()).cash);
      expect(engine.inventory.cash.weth - cash - quote.internalPremium).to.equal(3n * ETH);
      const after = await engine.pnlNow();
      // The fill earned its spread; the 3 WETH of capital earned nothing.
      expectClose(
        after.totalUsd + after.gasUsd - (before.totalUsd + before.gasUsd),
        after.spreadUsd - before.spreadUsd,
        5,
      );
    });
  });

  describe("reservations", () => {
    it("never over-commits its limits under many concurrent requests", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      // From flat, the solver may sell at most 10 options of the series; 16 wallets ask for 1 each at once.
      const engine = await engineFor(s, { config: { limits: { maxSeriesPosition: 10 } } });
      const wallets = (await s.ethers.getSigners()).slice(4, 20);
      for (const w of wallets) await fundTrader(s, w, 10n * ETH, 0n);
      const results = await Promise.allSettled(
        wallets.map((w) => engine.quote(request(call, "buy", ETH, w.address as Address))),
      );
      const quotes = results
        .filter((r): r is PromiseFulfilledResult<SignedQuote> => r.status === "fulfilled")
        .map((r) => r.value);
      expect(quotes).to.have.length(16);
      const internal = quotes.reduce((sum, q) => sum + q.internalAmount, 0n);
      expect(internal).to.equal(10n * ETH);
      // The rest went to the AMM rather than over the limit.
      expect(quotes.filter((q) => q.route === "amm").length).to.equal(6);
    });

    it("keeps one live quote per requester, series and side: a newer quote supersedes the older", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      const older = await engine.quote(request(call, "buy", ETH));
      const newer = await engine.quote(request(call, "buy", ETH));
      expect(engine.reservations.get(older.quoteId)).to.equal(undefined);
      expect(engine.reservations.get(newer.quoteId)).to.not.equal(undefined);
      const refused = await declined(engine.acceptOrder(await signedOrder(engine, older)));
      expect([refused.code, refused.message]).to.deep.equal([
        ErrorCode.QuoteExpired,
        "a newer quote for the same series and side replaced this one",
      ]);
      expect(engine.getQuote(older.quoteId)?.status).to.equal("superseded");
      await engine.acceptOrder(await signedOrder(engine, newer));
    });

    it("declines a quote the requester could not pay together with its other open quotes", async () => {
      const { s, call } = await networkHelpers.loadFixture(engineFixture);
      const engine = await engineFor(s);
      // Carol holds about one quote's worth of WETH: a second call quote would need twice that.
      const first = await engine.quote(request(call, "buy", ETH, bob.address));
      await fundTrader(s, s.carol, first.limitPremium + first.limitPremium / 2n, 0n);
      const carol = s.carol.address as Address;
      await engine.quote(request(call, "buy", ETH, carol));
      const otherSeries = encodeSeriesId({ ...decodeSeriesId(call), strike: 3100n * USDC });
      await s.ledger.createSeries(
        await s.weth.getAddress(),
        await s.usdc.getAddress(),
        3100n * USDC,
        decodeSeriesId(call).expiry,
        true,
      );
      const second = await declined(engine.quote(request(otherSeries, "buy", ETH, carol)));
      expect(second.code).to.equal(ErrorCode.InsufficientBalance);
      expect(second.message).to.match(/for your other open quotes/);
      // Asking again for the same series and side replaces the open quote, so it does not count twice.
      expect((await engine.quote(request(call, "buy", ETH, carol))).route).to.equal("internal");
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
