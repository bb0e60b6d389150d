import { expect } from "chai";
import { network } from "hardhat";
import type { Address } from "viem";
import { ARB_KEEPER, ARB_KEEPER_FUNDS } from "../../../scripts/lib/devnet.js";
import { inProcessClients } from "../../../scripts/lib/engineHarness.js";
import { deploySystem, ETH, type System, setPrice } from "../../../scripts/lib/system.js";
import { deployUniswap, fundSwapper, oraclePrice, type UniswapSystem } from "../../../scripts/lib/uniswap.js";
import { ErrorCode, type InternalizerError } from "../../../solver/errors.js";
import { ArbKeeper, type ArbKeeperParams } from "../../../solver/keeper/arbKeeper.js";
import { TxSender } from "../../../solver/settlement/txSender.js";
import { UniswapVenue } from "../../../solver/venue/uniswap.js";
import { expectClose } from "../../support/approx.js";

const connection = await network.create();
const SOLVER = 2;

let s: System;
let u: UniswapSystem;
let venue: UniswapVenue;
let solver: Address;

function clientsOf(index: number) {
  return inProcessClients(connection.provider, index);
}

function keeper(params: Partial<ArbKeeperParams> = {}): ArbKeeper {
  const sender = new TxSender(clientsOf(ARB_KEEPER));
  return new ArbKeeper({ venue, sender, recipient: sender.clients.account.address, solver, params });
}

async function nonceOf(address: Address): Promise<number> {
  return venue.client.getTransactionCount({ address });
}

describe("arbitrage keeper", function () {
  this.timeout(120_000);

  before(async () => {
    s = await deploySystem(connection);
    u = await deployUniswap(s);
    const clients = clientsOf(ARB_KEEPER);
    const weth = (await s.weth.getAddress()) as Address;
    const usdc = (await s.usdc.getAddress()) as Address;
    venue = new UniswapVenue(clients.publicClient, u.addresses, { weth, usdc });
    solver = clientsOf(SOLVER).account.address;
    const signers = await s.ethers.getSigners();
    await fundSwapper(s, u, signers[ARB_KEEPER]!, ARB_KEEPER_FUNDS.weth, ARB_KEEPER_FUNDS.usdc);
  });

  for (const move of [1.02, 0.98]) {
    it(`brings the pool within 1 bp of the oracle in one swap after the oracle moves ${move > 1 ? "up" : "down"} 2%`, async () => {
      const before = (await venue.midPrice()).price;
      await setPrice(s, Math.round(before * move));
      const reference = await oraclePrice(s);
      const run = await keeper().run(reference);
      expect([run.moved, run.sell]).to.deep.equal([true, move > 1 ? "usdc" : "weth"]);
      expectClose(run.priceBefore / before, 1, 1e-12, "price before");
      // swapToPrice is exact to the pool's rounding while the price stays in the seeded range.
      expectClose(run.priceAfter / reference, 1, 1e-4, "pool / reference after");
      expectClose((await venue.midPrice()).price, run.priceAfter, 1e-9, "mid price after");
      expect(run.profitUsd).to.be.greaterThan(0);
    });
  }

  it("sends nothing when the gap is under the threshold", async () => {
    const price = (await venue.midPrice()).price;
    const k = keeper({ minGapBps: 5 });
    const nonce = await nonceOf(k.deps.recipient);
    const run = await k.run(price * 1.0004);
    expect(run).to.deep.equal({ moved: false, priceBefore: price, priceAfter: price, skipped: "belowThreshold" });
    expect(await nonceOf(k.deps.recipient)).to.equal(nonce);
  });

  it("sends nothing when the swap would not pay the pool's fee", async () => {
    // A 4 bp gap crossed at an average of ~2 bp does not pay the 5 bp fee.
    const price = (await venue.midPrice()).price;
    const k = keeper({ minGapBps: 0 });
    const nonce = await nonceOf(k.deps.recipient);
    const run = await k.run(price * 1.0004);
    expect([run.moved, run.skipped]).to.deep.equal([false, "unprofitable"]);
    expect(run.profitUsd).to.be.lessThan(0);
    expect(await nonceOf(k.deps.recipient)).to.equal(nonce);
  });

  it("caps the swap at maxAmountIn and moves the pool only part of the way", async () => {
    const price = (await venue.midPrice()).price;
    const run = await keeper({ maxAmountIn: { weth: 10n * ETH, usdc: 30_000n * 10n ** 6n } }).run(price * 0.98);
    expect([run.moved, run.sell, run.amountIn]).to.deep.equal([true, "weth", 10n * ETH]);
    expect(run.priceAfter)
      .to.be.lessThan(price)
      .and.greaterThan(price * 0.999);
  });

  it("signs with its own account and never the solver's", async () => {
    const solverNonce = await nonceOf(solver);
    const k = keeper();
    const run = await k.run((await venue.midPrice()).price * 1.01);
    const tx = await venue.client.getTransaction({ hash: run.txHash! });
    expect(tx.from.toLowerCase()).to.equal(k.deps.recipient.toLowerCase());
    expect(tx.from.toLowerCase()).to.not.equal(solver.toLowerCase());
    expect(await nonceOf(solver)).to.equal(solverNonce);
  });

  it("refuses the solver's key with CONFIG_INVALID", () => {
    const sender = new TxSender(clientsOf(SOLVER));
    let error: InternalizerError | undefined;
    try {
      new ArbKeeper({ venue, sender, recipient: solver, solver });
    } catch (e) {
      error = e as InternalizerError;
    }
    expect([error?.code, error?.message]).to.deep.equal([
      ErrorCode.ConfigInvalid,
      "the arbitrage keeper must not sign with the solver's key",
    ]);
  });
});
