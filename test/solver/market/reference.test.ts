import { createServer, type Server } from "node:http";
import { expect } from "chai";
import { ErrorCode, QuoteDeclined } from "../../../solver/errors.js";
import { recentMarket } from "../../../solver/flow/features.js";
import { httpFeed } from "../../../solver/market/feed.js";
import type { Spot } from "../../../solver/market/marketData.js";
import { ReferencePrice } from "../../../solver/market/reference.js";
import { expectClose } from "../../support/approx.js";

const params = {
  source: "feed" as const,
  feedMaxAgeSeconds: 60,
  widenAboveBps: 25,
  widenPerBps: 1,
  declineAboveBps: 300,
};
const oracle = (price: number): Spot => ({ price, answer: 0n, decimals: 8, updatedAt: 0, roundId: 1n });

async function rejection(p: Promise<unknown>): Promise<QuoteDeclined> {
  try {
    await p;
  } catch (error) {
    if (error instanceof QuoteDeclined) return error;
    throw error;
  }
  throw new Error("expected a decline");
}

describe("reference price", () => {
  it("prices from the feed and measures the oracle and the pool against it", async () => {
    const r = new ReferencePrice(params, {
      feed: async () => ({ price: 3030, timestamp: 0 }),
      pool: async () => 3027,
    });
    const c = await r.check(oracle(3000), 100);
    expect(c.reference).to.equal(3030);
    expectClose(c.oracleGapBps, -99.0099, 1e-3, "oracle gap");
    expectClose(c.poolGapBps!, -9.90099, 1e-3, "pool gap");
    // Widens for each bp the worse of the two strays beyond 25 bps.
    expectClose(c.widenBps, 74.0099, 1e-3, "widen");
    r.assertAgrees(c);
  });

  it("declines with PRICE_DIVERGENCE beyond the bound, naming which price strayed", async () => {
    const r = new ReferencePrice(params, { feed: async () => ({ price: 3100, timestamp: 0 }) });
    const c = await r.check(oracle(3000), 100);
    const error = await rejection(Promise.resolve().then(() => r.assertAgrees(c)));
    expect(error.code).to.equal(ErrorCode.PriceDivergence);
    expect(error.message).to.equal("the oracle is 323 bps from the reference price (bound 300 bps)");
  });

  it("declines with REFERENCE_UNAVAILABLE when the source fails, is missing or answers nonsense", async () => {
    const down = new ReferencePrice(params, { feed: async () => Promise.reject(new Error("ECONNREFUSED")) });
    const e1 = await rejection(down.check(oracle(3000), 1));
    expect([e1.code, e1.message]).to.deep.equal([ErrorCode.ReferenceUnavailable, "the feed price could not be read"]);
    const missing = new ReferencePrice({ ...params, source: "pool" });
    const e2 = await rejection(missing.check(oracle(3000), 1));
    expect([e2.code, e2.message]).to.deep.equal([ErrorCode.ReferenceUnavailable, "the pool source is not configured"]);
    const zero = new ReferencePrice(params, { feed: async () => ({ price: 0, timestamp: 0 }) });
    expect((await rejection(zero.check(oracle(3000), 1))).message).to.equal("the feed answered 0");
  });

  it("uses the oracle itself as the reference when configured so", async () => {
    const r = new ReferencePrice({ ...params, source: "oracle" });
    const c = await r.check(oracle(2999), 1);
    expect([c.reference, c.oracleGapBps, c.pool, c.widenBps]).to.deep.equal([2999, 0, null, 0]);
  });

  it("keeps the reference's path: the last hour's move and its realized vol", async () => {
    let price = 3000;
    const r = new ReferencePrice(params, { feed: async () => ({ price, timestamp: 0 }) });
    expect(r.recentMarket(0)).to.deep.equal({ recentReturnBps: 0, realizedVol: 0 });
    for (let t = 0; t <= 3600; t += 300) {
      price = 3000 * (1 + (t / 300) * 0.001);
      await r.check(oracle(3000), t);
    }
    const hour = r.recentMarket(3600);
    expect(hour).to.deep.equal(
      recentMarket(Array.from({ length: 13 }, (_, k) => ({ time: k * 300, price: 3000 * (1 + k * 0.001) }))),
    );
    expect(hour.recentReturnBps).to.be.greaterThan(100);
    expect(hour.realizedVol).to.be.greaterThan(0);
  });

  describe("HTTP feed", () => {
    let server: Server;
    let body = "";
    let url = "";
    before(async () => {
      server = createServer((_req, res) => res.end(body));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}/price`;
    });
    after(() => server.close());

    it("reads a fresh answer and refuses a stale or malformed one", async () => {
      const now = Math.floor(Date.now() / 1000);
      body = JSON.stringify({ price: 3012.5, timestamp: now });
      expect(await httpFeed({ url, maxAgeSeconds: 60, cacheMs: 0 })()).to.deep.equal({ price: 3012.5, timestamp: now });
      body = JSON.stringify({ price: 3012.5, timestamp: now - 600 });
      let error: Error | null = null;
      await httpFeed({ url, maxAgeSeconds: 60, cacheMs: 0 })().catch((e: Error) => {
        error = e;
      });
      expect(String(error)).to.match(/the feed's price is 6\d\d s old/);
      body = JSON.stringify({ price: "3012" });
      error = null;
      await httpFeed({ url, maxAgeSeconds: 60, cacheMs: 0 })().catch((e: Error) => {
        error = e;
      });
      expect(String(error)).to.match(/the feed's answer is malformed/);
    });
  });
});
