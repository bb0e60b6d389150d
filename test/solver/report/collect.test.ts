import { expect } from "chai";
import type { Address } from "viem";
import { BlockClock } from "../../../solver/report/blocks.js";
import type { FilledAt, ReportChain } from "../../../solver/report/chain.js";
import { collectFills, FactsCache } from "../../../solver/report/collect.js";
import { markFill } from "../../../solver/report/markout.js";
import { CALL, ETH, hash, usd } from "../../support/reportScenario.js";

/** Blocks 0..9 at these times (two in one second, a jump), a vault that prices only from block 5 on. */
const TIMES = [100, 101, 101, 105, 110, 111, 112, 120, 130, 131];
const SOLVER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as Address;

function fakeChain(fills: FilledAt[]) {
  const reads = { blocks: 0, spots: 0, quotes: 0 };
  const chain: ReportChain = {
    firstBlock: 0n,
    latestBlock: async () => BigInt(TIMES.length - 1),
    blockTime: async (n) => {
      reads.blocks++;
      return TIMES[Number(n)]!;
    },
    filled: async (_solver, from, to) => fills.filter((f) => f.block >= from && f.block <= to),
    spotAt: async (n) => {
      reads.spots++;
      return usd(3000) + n;
    },
    vaultPremium: async (_id, amount, isBuy, n) => {
      reads.quotes++;
      return n < 5n ? null : ((isBuy ? 11n : 9n) * amount) / 100n;
    },
  };
  return { chain, reads };
}

const filled = (block: bigint): FilledAt => ({
  orderHash: hash(Number(block)),
  txHash: hash(100 + Number(block)),
  block,
  logIndex: 0,
  seriesId: CALL,
  side: 0,
  internalAmount: ETH,
  ammAmount: 0n,
  premium: ETH / 10n,
  internalPremium: ETH / 10n,
  ammReferencePremium: ETH / 9n,
});

describe("execution report: reading the chain", () => {
  it("finds the blocks at chain times by binary search, each block read once", async () => {
    const { chain, reads } = fakeChain([]);
    const clock = new BlockClock(chain);
    expect(await clock.firstAtOrAfter(101, 0n, 9n)).to.equal(1n);
    expect(await clock.firstAtOrAfter(102, 0n, 9n)).to.equal(3n);
    expect(await clock.firstAtOrAfter(132, 0n, 9n)).to.equal(null);
    expect(await clock.lastAtOrBefore(101, 0n, 9n)).to.equal(2n);
    expect(await clock.lastAtOrBefore(119, 0n, 9n)).to.equal(6n);
    expect(await clock.lastAtOrBefore(99, 0n, 9n)).to.equal(null);
    expect(await clock.firstAtOrAfter(0, 0n, 9n)).to.equal(0n);
    expect(reads.blocks).to.be.at.most(TIMES.length);
  });

  it("marks at the first block at or after the fill's time plus the horizon; pending before it, unavailable when refused", async () => {
    const { chain } = fakeChain([]);
    const clock = new BlockClock(chain);
    const fill = { seriesId: CALL, block: 3n, timestamp: 105 };
    expect(await markFill(chain, clock, fill, 6, 9n)).to.deep.equal({
      status: "marked",
      block: 5n, // 111
      ask: (11n * ETH) / 100n,
      bid: (9n * ETH) / 100n,
    });
    expect(await markFill(chain, clock, fill, 0, 9n)).to.deep.equal({ status: "unavailable", block: 3n });
    expect(await markFill(chain, clock, fill, 27, 9n)).to.deep.equal({ status: "pending" });
    expect(await markFill(chain, clock, fill, 26, 9n)).to.deep.include({ status: "marked", block: 9n });
  });

  it("collects each fill with its time, spot and mark, and keeps only settled ones between reports", async () => {
    const { chain, reads } = fakeChain([filled(2n), filled(4n), filled(8n)]);
    const cache = new FactsCache();
    const collect = () =>
      collectFills({ chain, solver: SOLVER, cache }, new BlockClock(chain), { fromBlock: 2n, toBlock: 8n }, 10, 9n);
    const first = await collect();
    expect(first.map((f) => [f.block, f.timestamp, f.spot - usd(3000), f.mark.status])).to.deep.equal([
      [2n, 101, 2n, "marked"], // 111: block 5
      [4n, 110, 4n, "marked"], // 120: block 7
      [8n, 130, 8n, "pending"], // 140: not yet
    ]);
    expect(cache.size).to.equal(2);
    const spots = reads.spots;
    const second = await collect();
    expect(second).to.deep.equal(first);
    expect(reads.spots - spots).to.equal(1); // only the pending fill is read again
  });
});
