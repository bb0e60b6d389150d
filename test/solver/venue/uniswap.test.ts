import { expect } from "chai";
import type { Contract } from "ethers";
import { network } from "hardhat";
import type { Address, Hex } from "viem";
import { inProcessClients } from "../../../scripts/lib/engineHarness.js";
import { deploySystem, ETH, type System, USDC } from "../../../scripts/lib/system.js";
import { deployUniswap, fundSwapper, oraclePrice, type UniswapSystem } from "../../../scripts/lib/uniswap.js";
import { ErrorCode, type InternalizerError } from "../../../solver/errors.js";
import { TxSender } from "../../../solver/settlement/txSender.js";
import { priceFromSqrtX96, sqrtX96FromPrice, swapToPrice } from "../../../solver/venue/poolMath.js";
import { revertReason, UniswapVenue } from "../../../solver/venue/uniswap.js";
import { expectClose } from "../../support/approx.js";

const connection = await network.create();
const { networkHelpers } = connection;
const TRADER = 4;

let s: System;
let u: UniswapSystem;
let venue: UniswapVenue;
let sender: TxSender;
let trader: Address;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

function clientsOf(index: number) {
  return inProcessClients(connection.provider, index);
}

async function deadline(seconds = 600): Promise<bigint> {
  return BigInt((await networkHelpers.time.latest()) + seconds);
}

/** Sells `amountIn` at exactly the quoted output; returns the receipt and the trader's balance changes. */
async function swapAtQuote(sell: "weth" | "usdc", amountIn: bigint) {
  const quote = await venue.quoteExactIn({ sell, amountIn });
  const before = await venue.balancesOf(trader);
  const call = venue.swapCall({
    sell,
    amountIn,
    amountOutMinimum: quote.amountOut,
    recipient: trader,
    deadline: await deadline(),
  });
  const receipt = await sender.receipt(await sender.send(call));
  const after = await venue.balancesOf(trader);
  return { quote, receipt, weth: after.weth - before.weth, usdc: after.usdc - before.usdc };
}

describe("Uniswap v3 venue (npm artifacts on an in-process chain)", function () {
  this.timeout(120_000);

  before(async () => {
    s = await deploySystem(connection);
    u = await deployUniswap(s);
    const clients = clientsOf(TRADER);
    trader = clients.account.address;
    const weth = (await s.weth.getAddress()) as Address;
    const usdc = (await s.usdc.getAddress()) as Address;
    venue = new UniswapVenue(clients.publicClient, u.addresses, { weth, usdc });
    sender = new TxSender(clients);
    await fundSwapper(s, u, s.alice, 1_000n * ETH, 3_000_000n * USDC);
  });

  it("deploys the pool at the oracle's price: the mid price equals the oracle's within 1 bp", async () => {
    const oracle = await oraclePrice(s);
    const mid = await venue.midPrice();
    expectClose(mid.price / oracle, 1, 1e-4, "pool / oracle");
    expect(mid.liquidity).to.equal(u.position.liquidity);
    // The position manager rounds the liquidity down, so a few thousand wei of the WETH stay with the admin.
    expect(20_000n * ETH - u.position.weth).to.be.lessThan(10n ** 6n);
  });

  it("is deep enough that selling 100 WETH moves the price by less than 0.5%", async () => {
    const mid = await venue.midPrice();
    const quote = await venue.quoteExactIn({ sell: "weth", amountIn: 100n * ETH });
    const after = priceFromSqrtX96(quote.sqrtPriceX96After, venue.wethIsToken0);
    expect(1 - after / mid.price)
      .to.be.greaterThan(0)
      .and.lessThan(0.005);
  });

  for (const [sell, amountIn] of [
    ["weth", 10n * ETH],
    ["usdc", 25_000n * USDC],
  ] as const) {
    it(`pays exactly QuoterV2's quote when selling ${sell}, and swapResult decodes the balance changes`, async () => {
      const { quote, receipt, weth, usdc } = await swapAtQuote(sell, amountIn);
      const [paid, received] = sell === "weth" ? [weth, usdc] : [usdc, weth];
      expect(paid).to.equal(-amountIn);
      expect(received).to.equal(quote.amountOut);
      const result = venue.swapResult(receipt, trader);
      expect(result).to.deep.equal({ wethDelta: weth, usdcDelta: usdc, sqrtPriceX96After: quote.sqrtPriceX96After });
      expect((await venue.midPrice()).sqrtPriceX96).to.equal(quote.sqrtPriceX96After);
      expect(venue.swapResult(receipt, s.bob.address as Address)).to.equal(null);
    });
  }

  it('refuses a swap asking one wei more than the quote with "Too little received"', async () => {
    const quote = await venue.quoteExactIn({ sell: "weth", amountIn: ETH });
    const call = venue.swapCall({
      sell: "weth",
      amountIn: ETH,
      amountOutMinimum: quote.amountOut + 1n,
      recipient: trader,
      deadline: await deadline(),
    });
    expect(revertReason(await rejection(sender.send(call)))).to.equal("Too little received");
  });

  it('refuses a swap past its deadline with "Transaction too old"', async () => {
    const call = venue.swapCall({
      sell: "usdc",
      amountIn: 1_000n * USDC,
      amountOutMinimum: 0n,
      recipient: trader,
      deadline: await deadline(-1),
    });
    expect(revertReason(await rejection(sender.send(call)))).to.equal("Transaction too old");
  });

  for (const target of [1.01, 0.99]) {
    it(`lands the pool within 1 bp of a target ${target > 1 ? "1% above" : "1% below"} with swapToPrice's amount`, async () => {
      const state = await venue.poolState();
      const goal = priceFromSqrtX96(state.sqrtPriceX96, state.wethIsToken0) * target;
      const plan = swapToPrice(state, goal)!;
      expect(plan.sell).to.equal(target > 1 ? "usdc" : "weth");
      const { quote } = await swapAtQuote(plan.sell, plan.amountIn);
      const landed = (await venue.midPrice()).price;
      expectClose(landed / goal, 1, 1e-4, "landed / goal");
      // Exact to the pool's rounding: the quote's landing price is the target's to a few wei of sqrtPriceX96.
      const want = sqrtX96FromPrice(goal, state.wethIsToken0);
      expect(Number(quote.sqrtPriceX96After - want) / Number(want))
        .to.be.lessThan(1e-12)
        .and.greaterThan(-1e-12);
    });
  }

  it("refuses a quote on a pool without liquidity with VENUE_QUOTE_FAILED", async () => {
    const weth = await s.weth.getAddress();
    const usdc = await s.usdc.getAddress();
    await u.factory.getFunction("createPool")(weth, usdc, 3000);
    const pool = (await u.factory.getFunction("getPool")(weth, usdc, 3000)) as Address;
    const empty = new UniswapVenue(venue.client, { ...u.addresses, pool, fee: 3000 }, venue.tokens);
    const initialize = (u.pool.attach(pool) as Contract).getFunction("initialize");
    await initialize(sqrtX96FromPrice(3000, venue.wethIsToken0));
    const e = (await rejection(empty.quoteExactIn({ sell: "weth", amountIn: ETH }))) as InternalizerError;
    // QuoterV2 reverts inside its own callback when a swap crosses only empty ranges.
    expect([e.code, e.message]).to.deep.equal([
      ErrorCode.VenueQuoteFailed,
      "QuoterV2 refused the quote: Unexpected error",
    ]);
  });

  it("handles the other token order: with USDC as token0 the pool still prices and lands in USD per ETH", async () => {
    // A second WETH mock, redeployed until its address sorts above USDC's.
    let weth = await s.ethers.deployContract("MockERC20", ["Wrapped Ether", "WETH", 18]);
    while ((await weth.getAddress()).toLowerCase() < (await s.usdc.getAddress()).toLowerCase())
      weth = await s.ethers.deployContract("MockERC20", ["Wrapped Ether", "WETH", 18]);
    const flipped = { ...s, weth: await s.ethers.getContractAt("MockERC20", await weth.getAddress()) };
    const other = await deployUniswap(flipped, { price: 2500, wethLiquidity: 1_000n * ETH });
    const tokens = { weth: (await weth.getAddress()) as Address, usdc: venue.tokens.usdc };
    const reversed = new UniswapVenue(venue.client, other.addresses, tokens);
    expect(reversed.wethIsToken0).to.equal(false);
    expectClose((await reversed.midPrice()).price / 2500, 1, 1e-9, "mid / 2500");
    const state = await reversed.poolState();
    const plan = swapToPrice(state, 2525)!;
    expect(plan.sell).to.equal("usdc");
    const quote = await reversed.quoteExactIn(plan);
    expectClose(priceFromSqrtX96(quote.sqrtPriceX96After, false) / 2525, 1, 1e-9, "landing / 2525");
  });

  it("lists only the router approvals an account is missing", async () => {
    expect(await venue.approvalCalls(trader)).to.deep.equal([]);
    const fresh = clientsOf(9);
    const calls = await venue.approvalCalls(fresh.account.address);
    expect(calls.map((c) => [c.address, c.functionName, c.args[0]])).to.deep.equal([
      [venue.tokens.weth, "approve", u.addresses.swapRouter],
      [venue.tokens.usdc, "approve", u.addresses.swapRouter],
    ]);
    const freshSender = new TxSender(fresh);
    for (const call of calls) await freshSender.receipt((await freshSender.send(call)) as Hex);
    expect(await venue.approvalCalls(fresh.account.address)).to.deep.equal([]);
  });
});
