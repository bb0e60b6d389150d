import { expect } from "chai";
import { network } from "hardhat";
import { type Address, type Hex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../../scripts/lib/accounts.js";
import { engineFor } from "../../../scripts/lib/engineHarness.js";
import { fundTrader } from "../../../scripts/lib/orders.js";
import { createSeries, deploySystem, ETH, now, seedVaults, setVol, USDC, usd8 } from "../../../scripts/lib/system.js";
import { type Intent, intentTypes, settlementDomain } from "../../../solver/chain/intent.js";
import { payoffs } from "../../../solver/domain/payoff.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import { Side } from "../../../solver/domain/side.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { expectClose } from "../../support/approx.js";

const connection = await network.create();
const { networkHelpers } = connection;
const alice = privateKeyToAccount(devKey(4));

/** A call series two hours from expiry that alice bought 4 of from the solver (which wrote them), and the
 * call vault is short 1 of to bob. */
async function expiringFixture() {
  const s = await deploySystem(connection);
  await seedVaults(s);
  const id = await createSeries(s, 3000n, 1 / 12, true, await now(s));
  await setVol(s, decodeSeriesId(id).expiry);
  await fundTrader(s, s.solver, 100n * ETH, 1_000_000n * USDC);
  await fundTrader(s, s.alice, 100n * ETH, 1_000_000n * USDC);
  await fundTrader(s, s.bob, 100n * ETH, 1_000_000n * USDC);
  await s.weth.connect(s.bob).approve(await s.callVault.getAddress(), ETH);
  const expiry = decodeSeriesId(id).expiry;
  await s.callVault.connect(s.bob).buy(id, ETH, ETH, expiry, s.bob.address);
  return { s, id, expiry };
}

async function buy(engine: Engine, seriesId: bigint, amount: bigint): Promise<void> {
  const quote = await engine.quote({ requester: alice.address, seriesId, side: "buy", amount });
  const intent: Intent = {
    user: alice.address,
    seriesId,
    side: Side.Buy,
    amount,
    limitPremium: quote.limitPremium,
    deadline: BigInt(quote.validUntil),
    nonce: BigInt(Math.floor(Math.random() * 2 ** 48)),
    recipient: alice.address,
    exclusiveSolver: zeroAddress,
    quoteId: quote.quoteId,
  };
  const domain = settlementDomain(engine.chainId, engine.deployment.contracts.settlement);
  const signature = (await alice.signTypedData({
    domain,
    types: intentTypes,
    primaryType: "Intent",
    message: intent,
  })) as Hex;
  const order = await engine.acceptOrder({ intent, signature });
  await engine.tick();
  expect(engine.getOrder(order.orderHash)?.status).to.equal("filled");
}

describe("expiry keeper", () => {
  it("settles an expired series, exercises the client's longs for it, redeems the solver's shorts and has the vault collect", async () => {
    const { s, id, expiry } = await networkHelpers.loadFixture(expiringFixture);
    const engine = await engineFor(s, { config: { keeper: { enabled: false }, flow: { enabled: false } } });
    await buy(engine, id, 4n * ETH);
    const solver = engine.solver;
    expect(await s.ledger.shortBalanceOf(solver, id)).to.equal(4n * ETH);
    // The last round before expiry is 3150; the chain then passes expiry.
    await networkHelpers.time.setNextBlockTimestamp(expiry - 60);
    await s.oracle.pushAnswer(usd8(3150));
    await networkHelpers.time.increaseTo(expiry + 60);
    const aliceWeth = await s.weth.balanceOf(alice.address);
    const before = await engine.pnlNow();

    await engine.keeper.run(await engine.market.listSeries(), await engine.market.chainTime());

    const info = await s.ledger.series(id);
    expect([info.state.settled, info.state.settlementPrice]).to.deep.equal([true, 3150n * USDC]);
    const owed = payoffs({ isCall: true, strike: 3000n * USDC }, 3150n * USDC, 4n * ETH).long;
    expect(await s.ledger.balanceOf(alice.address, id)).to.equal(0n);
    expect((await s.weth.balanceOf(alice.address)) - aliceWeth).to.equal(owed);
    expect(await s.ledger.shortBalanceOf(solver, id)).to.equal(0n);
    expect((await s.callVault.position(id)).amount).to.equal(0n);
    // The book was updated from the receipts, and agrees with the chain.
    const chain = await engine.readBook();
    expect(engine.inventory.position(id).shorts).to.equal(0n);
    expect(engine.inventory.cash).to.deep.equal(chain.cash);
    // PnL counted the expired short at what it owed before, so collecting it moves PnL only by the gas.
    const after = await engine.pnlNow();
    expect(after.gasUsd).to.be.greaterThan(before.gasUsd);
    expectClose(after.totalUsd + after.gasUsd, before.totalUsd + before.gasUsd, 0.01, "PnL before gas");
  });

  it("values PnL at a block as a pure function of the chain there and the fill log: later trades do not move it", async () => {
    const { s, id } = await networkHelpers.loadFixture(expiringFixture);
    const engine = await engineFor(s, { config: { keeper: { enabled: false }, flow: { enabled: false } } });
    await buy(engine, id, ETH);
    const block = await engine.chain.latestBlock();
    const first = await engine.pnlAt(block);
    await s.oracle.pushAnswer(usd8(3300));
    await buy(engine, id, 2n * ETH);
    const again = await engine.pnlAt(block);
    // Every figure, the running peak and drawdown included (not kept per block, so null), is the same.
    expect(again).to.deep.equal(first);
    expect(first).to.include({ peakUsd: null, drawdownUsd: null });
    expect((await engine.pnlNow()).totalUsd).to.not.equal(first.totalUsd);
  });

  it("does nothing twice: a second pass sends no transaction", async () => {
    const { s, id, expiry } = await networkHelpers.loadFixture(expiringFixture);
    const engine = await engineFor(s, { config: { keeper: { enabled: false }, flow: { enabled: false } } });
    await buy(engine, id, ETH);
    await networkHelpers.time.setNextBlockTimestamp(expiry - 60);
    await s.oracle.pushAnswer(usd8(2900));
    await networkHelpers.time.increaseTo(expiry + 60);
    const actions: unknown[] = [];
    engine.events.on("keeper", (a) => actions.push(a));
    await engine.keeper.run(await engine.market.listSeries(), await engine.market.chainTime());
    const first = actions.length;
    // Out of the money: nothing to exercise for alice; the solver's short and the vault's are redeemed.
    expect(first).to.be.greaterThan(0);
    expect(await s.ledger.shortBalanceOf(engine.solver as Address, id)).to.equal(0n);
    await engine.keeper.run(await engine.market.listSeries(), await engine.market.chainTime());
    expect(actions.length).to.equal(first);
  });
});
