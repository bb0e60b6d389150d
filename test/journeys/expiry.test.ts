import { expect } from "chai";
import { parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Stack } from "../../scripts/lib/stack.js";
import { erc20Abi, optionLedgerAbi } from "../../solver/chain/abis.js";
import {
  cliJson,
  deploymentOf,
  devnet,
  eventually,
  freshMarket,
  key,
  now,
  reader,
  trader,
  travelTo,
} from "./devnet.js";

/** A series taken through expiry on the devnet: the trader's payoff and the operator's books. */
describe("journeys: expiry", function () {
  this.timeout(300_000);
  let stack: Stack;
  let instrument: string;
  let seriesId: bigint;
  let expiry: number;
  let payout: bigint;
  const solver = privateKeyToAccount(key(2)).address;

  before(async () => {
    stack = await devnet();
    // An operator creates a series expiring in two hours and sets vols for it, from the CLI.
    expiry = (await now(stack)) + 2 * 3600;
    const created = await cliJson<{ instrument: string; seriesId: string }>(
      stack,
      ["series", "create", "--strike", "2950", "--expiry", String(expiry)],
      { PRIVATE_KEY: key(0) },
    );
    instrument = created.instrument;
    seriesId = BigInt(created.seriesId);
    await cliJson(stack, ["vault", "vol", "both", "--expiry", instrument, "--atm", "0.8"], { PRIVATE_KEY: key(1) });
    await cliJson(stack, ["vol", "set", "--expiry", instrument, "--atm", "0.8"]);
  });

  it("Trader 5: after expiry, the solver settles and exercises for the trader, who receives the payoff", async () => {
    const client = await trader(stack, 8);
    const quote = await client.requestQuote({ series: instrument, side: "buy", amount: parseUnits("3", 18) });
    expect((await client.execute(quote)).status).to.equal("filled");
    const d = deploymentOf(stack);
    const weth = () =>
      reader(stack).readContract({
        address: d.contracts.weth,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [client.address],
      });
    const before = await weth();
    // The feed's last round before expiry is $3,100; the chain passes expiry.
    await travelTo(stack, expiry + 60, 3100n * 10n ** 8n);
    await eventually(async () => {
      const held = await reader(stack).readContract({
        address: d.contracts.ledger,
        abi: optionLedgerAbi,
        functionName: "balanceOf",
        args: [client.address, seriesId],
      });
      return held === 0n ? true : undefined;
    }, 60_000);
    payout = (await weth()) - before;
    // 3 x (3100 - 2950) / 3100 WETH, rounded down as the ledger pays.
    expect(payout).to.equal((3n * 10n ** 18n * 150n) / 3100n);
  });

  it("Operator 5: sees the series settled, the payoffs collected and its collateral redeemed, nothing locked", async () => {
    const d = deploymentOf(stack);
    await eventually(async () => {
      const shorts = await reader(stack).readContract({
        address: d.contracts.ledger,
        abi: optionLedgerAbi,
        functionName: "shortBalanceOf",
        args: [solver, seriesId],
      });
      return shorts === 0n ? true : undefined;
    }, 60_000);
    const series = await cliJson<{ series: Array<{ instrument: string; settled: boolean; settlementPrice: string }> }>(
      stack,
      ["series", "list"],
    );
    expect(series.series.find((s) => s.instrument === instrument)).to.deep.include({
      settled: true,
      settlementPrice: (3100n * 10n ** 6n).toString(),
    });
    const inventory = await cliJson<{ positions: Array<{ instrument: string; shorts: { raw: string } }> }>(stack, [
      "inventory",
    ]);
    const position = inventory.positions.find((p) => p.instrument === instrument);
    expect(position?.shorts.raw ?? "0").to.equal("0");
    // PnL counts the expired position at its payoff: valuing at the settlement price and collecting agree.
    const pnl = await cliJson<{
      totalUsd: number;
      spreadUsd: number;
      inventoryUsd: number;
      feesUsd: number;
      gasUsd: number;
    }>(stack, ["pnl"]);
    expect(Math.abs(pnl.spreadUsd - pnl.feesUsd - pnl.gasUsd + pnl.inventoryUsd - pnl.totalUsd)).to.be.lessThan(1e-6);
    expect(payout).to.be.greaterThan(0n);
  });

  after(async () => {
    await freshMarket(stack);
  });
});
