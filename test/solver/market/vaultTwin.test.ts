import { expect } from "chai";
import { network } from "hardhat";
import { type Address, type PublicClient, toFunctionSelector } from "viem";
import { fundTrader } from "../../../scripts/lib/orders.js";
import { Random } from "../../../scripts/lib/sim/random.js";
import { createSeries, deploySystem, ETH, seedVaults, setVol, USDC, usd8, WAD } from "../../../scripts/lib/system.js";
import { optionVaultAbi } from "../../../solver/chain/abis.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import { readPairScales, readVaultState } from "../../../solver/market/vaultReader.js";
import { NoVaultPrice, quoteTwin, type TwinQuote } from "../../../solver/market/vaultTwin.js";

const connection = await network.create();
/** The vault's custom errors by selector. */
const ERRORS = new Map(
  optionVaultAbi
    .filter((x) => x.type === "error")
    .map((x) => [toFunctionSelector(`${x.name}(${x.inputs.map((i) => i.type).join(",")})`), x.name] as const),
);
const { networkHelpers } = connection;

describe("the vault-pricing twin (OptionVault.quote in bigint) against the chain", function () {
  this.timeout(600_000);

  it("equals the vault's quote view to the wei on 5,000 random vault states, sizes and sides", async () => {
    const s = await deploySystem(connection);
    await seedVaults(s, 40n * ETH, 120_000n * USDC);
    const series: bigint[] = [];
    for (const days of [2, 9, 40]) {
      for (const strike of [2400n, 2800n, 3000n, 3300n, 3900n])
        for (const isCall of [true, false]) series.push(await createSeries(s, strike, days, isCall));
    }
    const expiries = [...new Set(series.map((id) => decodeSeriesId(id).expiry))];
    const known = new Set(series);
    for (const e of expiries) await setVol(s, e);
    const traders = [s.alice, s.bob, s.carol];
    for (const t of traders) {
      await fundTrader(s, t, 500n * ETH, 5_000_000n * USDC);
      for (const v of [s.callVault, s.putVault]) {
        await s.weth.connect(t).approve(await v.getAddress(), 2n ** 255n);
        await s.usdc.connect(t).approve(await v.getAddress(), 2n ** 255n);
        await s.ledger.connect(t).setApprovalForAll(await v.getAddress(), true);
      }
    }
    const client = (await connection.viem.getPublicClient()) as unknown as PublicClient;
    const ledger = (await s.ledger.getAddress()) as Address;
    const scales = await readPairScales(client, ledger, s.pairId);
    const vaults = [
      { contract: s.callVault, address: (await s.callVault.getAddress()) as Address, isCall: true },
      { contract: s.putVault, address: (await s.putVault.getAddress()) as Address, isCall: false },
    ];
    const r = new Random(1271);
    const amountOf = () => {
      const kind = r.int(0, 3);
      if (kind === 0) return BigInt(r.int(1, 1_000_000)) * 10n ** 12n; // 1e-6 .. 1 option
      if (kind === 1) return BigInt(r.int(1, 20)) * ETH;
      if (kind === 2) return BigInt(r.int(1, 999)) * 10n ** 15n;
      return BigInt(r.int(1, 10_000));
    };
    let compared = 0;
    let refusals = 0;
    let noPrice = 0;
    let spotDollars = 3000;
    for (let state = 0; compared < 5_000; state++) {
      // Move the world: trades on both sides, LP flows, the oracle, vols, the clock.
      for (let i = 0; i < r.int(1, 4); i++) {
        const v = vaults[r.int(0, 1)]!;
        const id = series.filter((x) => decodeSeriesId(x).isCall === v.isCall)[r.int(0, 14)]!;
        const who = traders[r.int(0, 2)]!;
        const amount = BigInt(r.int(1, 8)) * 10n ** 17n * BigInt(r.int(1, 10));
        const action = r.int(0, 9);
        try {
          if (action < 4) await v.contract.connect(who).buy(id, amount, 2n ** 200n, 2n ** 40n, who.address);
          else if (action < 6) await v.contract.connect(who).sell(id, amount, 0n, 2n ** 40n, who.address);
          else if (action === 6)
            await v.contract.connect(who).deposit(v.isCall ? amount : amount / 10n ** 9n, who.address);
          else if (action === 7) {
            spotDollars = Math.max(500, Math.round(spotDollars * (1 + (r.next() - 0.5) * 0.1)));
            await s.oracle.pushAnswer(usd8(spotDollars));
          } else if (action === 8) {
            const e = expiries[r.int(0, expiries.length - 1)]!;
            await setVol(
              s,
              e,
              (WAD * BigInt(r.int(20, 250))) / 100n,
              -(WAD * BigInt(r.int(0, 50))) / 100n,
              (WAD * BigInt(r.int(0, 100))) / 100n,
            );
          } else {
            await networkHelpers.time.increase(r.int(1, 6 * 3600));
            await s.oracle.pushAnswer(usd8(spotDollars));
          }
        } catch {
          // A refused trade is part of the world too.
        }
      }
      const block = await client.getBlock();
      for (const v of vaults) {
        const ids = series.filter((x) => decodeSeriesId(x).isCall === v.isCall);
        const followed = await readVaultState(
          client,
          { vault: v.address, isCall: v.isCall, scales, expiries, isSeries: (id) => known.has(id) },
          block.number,
        );
        for (let i = 0; i < 12; i++) {
          const id = r.next() < 0.03 ? ids[0]! + 7n : ids[r.int(0, ids.length - 1)]!;
          const amount = amountOf();
          const isBuy = r.next() < 0.5;
          let chain: TwinQuote | string;
          try {
            const q = await client.readContract({
              address: v.address,
              abi: optionVaultAbi,
              functionName: "quote",
              args: [id, amount, isBuy],
              blockNumber: block.number,
            });
            chain = {
              ...q,
              refusal: q.refusal === "0x00000000" ? null : (ERRORS.get(q.refusal) ?? q.refusal),
            };
          } catch (error) {
            chain = String(
              (error as { cause?: { data?: { errorName?: string } } }).cause?.data?.errorName ??
                (error as Error).message
                  .match(/reverted with the following reason:\n?\s*(\w+)|custom error '?(\w+)/)
                  ?.slice(1)
                  .find(Boolean) ??
                "revert",
            );
          }
          let twin: typeof chain;
          try {
            twin = quoteTwin(followed, id, amount, isBuy, block.timestamp);
          } catch (error) {
            twin = error instanceof NoVaultPrice ? error.error : `threw ${(error as Error).message}`;
          }
          const where = JSON.stringify({ state, id: id.toString(), amount: amount.toString(), isBuy });
          if (typeof chain === "string") {
            noPrice++;
            expect(
              typeof twin,
              `${where}: chain reverted ${chain}, twin ${JSON.stringify(twin, (_k, x) => (typeof x === "bigint" ? x.toString() : x))}`,
            ).to.equal("string");
          } else {
            if (chain.refusal) refusals++;
            expect(twin, where).to.deep.equal(chain);
          }
          compared++;
        }
      }
    }
    expect(compared).to.be.at.least(5_000);
    // The sample covers refusals and missing prices as well as trades the vault would take.
    expect(refusals).to.be.greaterThan(100);
    expect(noPrice).to.be.greaterThan(10);
  });
});
