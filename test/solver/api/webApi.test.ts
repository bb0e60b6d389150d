import { expect } from "chai";
import { network } from "hardhat";
import { averagePrice, positionPnl } from "../../../solver/api/account.js";
import { flowStats } from "../../../solver/api/history.js";
import { sampleBlocks } from "../../../solver/api/vaults.js";
import { ErrorCode } from "../../../solver/errors.js";
import { InternalizerClient, viemWallet } from "../../../solver/sdk/index.js";
import type { FillRecord } from "../../../solver/types.js";
import { ADMIN_TOKEN, type ApiFixture, apiFixture } from "../../support/apiFixture.js";

const connection = await network.create();
const ONE = 10n ** 18n;

function fill(p: Partial<FillRecord>): FillRecord {
  return {
    side: 0,
    internalAmount: 0n,
    ammAmount: 0n,
    premium: 0n,
    internalPremium: 0n,
    ammReference: 0n,
    timestamp: 0,
    ...p,
  } as FillRecord;
}

describe("API for the web app: accounts, vaults, the dashboard's history", function () {
  this.timeout(180_000);
  let f: ApiFixture;
  let trader: `0x${string}`;
  let instrument: string;
  before(async () => {
    f = await apiFixture(connection);
    const client = await InternalizerClient.connect(f.url, viemWallet(f.walletFor(4)));
    trader = client.address;
    const quote = await client.requestQuote({ series: f.seed.series[4]!, side: "buy", amount: 2n * ONE });
    instrument = quote.instrument;
    expect((await client.execute(quote)).status).to.equal("filled");
  });
  after(() => f.close());
  const get = async (url: string, admin = false) =>
    f.app.inject({ method: "GET", url, headers: admin ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {} });

  it("GET /v1/accounts/:address: the wallet's position at its average price, marked, with the fill against the AMM", async () => {
    const body = (await get(`/v1/accounts/${trader}`)).json();
    const p = body.positions.find((x: { instrument: string }) => x.instrument === instrument);
    expect(p.longs.raw).to.equal((2n * ONE).toString());
    expect(p.state).to.equal("open");
    const fillRow = body.fills.find((x: { instrument: string }) => x.instrument === instrument);
    // The average price of one option is the fill's premium for two, halved (rounded down).
    expect(p.averagePrice.raw).to.equal((BigInt(fillRow.premium.raw) / 2n).toString());
    // What two options are worth at the mark, less what they cost.
    expect(BigInt(p.pnl.raw)).to.equal(BigInt(p.mark.raw) * 2n - BigInt(fillRow.premium.raw));
    expect(fillRow.improvementBps).to.be.greaterThan(0);
    expect(body.ledger).to.equal(f.seed.deployment.contracts.ledger);
  });

  it("GET /v1/accounts/:address: an account with nothing has no positions and no fills", async () => {
    const body = (await get("/v1/accounts/0x000000000000000000000000000000000000dEaD")).json();
    expect(body.positions).to.deep.equal([]);
    expect(body.fills).to.deep.equal([]);
  });

  it("refuses an address that is not one, or has a wrong checksum, with INVALID_REQUEST", async () => {
    for (const bad of ["0x1234", "not-an-address", "0x000000000000000000000000000000000000DEAD"]) {
      const res = await get(`/v1/accounts/${bad}`);
      expect(res.statusCode, bad).to.equal(400);
      expect(res.json().error.code, bad).to.equal(ErrorCode.InvalidRequest);
    }
    const res = await get("/v1/vaults?owner=0x1234");
    expect(res.json().error.code).to.equal(ErrorCode.InvalidRequest);
  });

  it("GET /v1/vaults: NAV, share price and utilisation of both vaults, and an owner's shares and lock-up", async () => {
    const lp = f.walletFor(3).account.address;
    const body = (await get(`/v1/vaults?owner=${lp}`)).json();
    expect(body.vaults.map((v: { kind: string }) => v.kind)).to.deep.equal(["call", "put"]);
    const call = body.vaults[0];
    expect(call.nav.symbol).to.equal("WETH");
    expect(call.utilisation).to.be.within(0, 1);
    expect(BigInt(call.owner.shares.raw)).to.be.greaterThan(0n);
    expect(call.owner.lockedUntil).to.be.a("number");
    expect(BigInt(call.freeAssets.raw) + BigInt(call.lockedAssets.raw)).to.be.at.most(BigInt(call.nav.raw) * 2n);
  });

  it("GET /v1/vaults/history: one share price per sampled block and vault; points out of range are refused", async () => {
    const body = (await get("/v1/vaults/history?points=5")).json();
    expect(body.blocks.length).to.equal(body.times.length);
    for (const v of body.vaults) expect(v.sharePrice.length).to.equal(body.blocks.length);
    for (const points of ["1", "201", "x"]) {
      const res = await get(`/v1/vaults/history?points=${points}`);
      expect(res.json().error.code, points).to.equal(ErrorCode.InvalidRequest);
    }
  });

  it("GET /v1/admin/history: PnL from the solver's first start to now, and the fills bucketed by time", async () => {
    const res = await get("/v1/admin/history?points=6", true);
    const body = res.json();
    expect(body.pnl.length).to.be.within(1, 6);
    expect(body.pnl[0].block).to.be.at.least(f.engine.pnlStartBlock!);
    expect(body.flow.reduce((s: number, b: { fills: number }) => s + b.fills, 0)).to.equal(1);
    expect((await get("/v1/admin/history")).json().error.code).to.equal(ErrorCode.TokenMissing);
    expect((await get("/v1/admin/history?points=0", true)).json().error.code).to.equal(ErrorCode.InvalidRequest);
  });

  it("GET /v1/admin/declines: counts by code since start, behind the token", async () => {
    const body = (await get("/v1/admin/declines", true)).json();
    expect(body.declines).to.be.an("array");
    expect((await get("/v1/admin/declines")).json().error.code).to.equal(ErrorCode.TokenMissing);
  });

  it("GET / serves the web app when it is built, and an unknown path still gets the API's NOT_FOUND", async () => {
    // npm test builds the web app before the tests run (build:run).
    const home = await get("/");
    expect(home.statusCode).to.equal(200);
    expect(home.headers["content-type"]).to.match(/^text\/html/);
    expect(home.headers["cache-control"]).to.equal("no-cache");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(home.body)![1]!;
    const asset = await get(script);
    expect(asset.statusCode).to.equal(200);
    expect(asset.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    const res = await get("/nope/nothing-here");
    expect(res.statusCode).to.equal(404);
    expect(res.json().error.code).to.equal(ErrorCode.NotFound);
  });
});

describe("web app views: pure parts", () => {
  it("averagePrice: premium per whole option over the side's fills, rounded down; sells for a short", () => {
    const fills = [
      fill({ side: 0, internalAmount: ONE, ammAmount: ONE, premium: 3n }),
      fill({ side: 0, internalAmount: ONE, premium: 2n }),
      fill({ side: 2, internalAmount: ONE, premium: 7n }),
    ];
    // 5 base units over 3 options: 1.666… rounded down per option.
    expect(averagePrice(fills, true)).to.equal((5n * ONE) / (3n * ONE));
    expect(averagePrice(fills, false)).to.equal(7n);
    expect(averagePrice([], true)).to.equal(0n);
  });

  it("positionPnl: premiums in and out, exercise payouts, and what is held or owed at the mark", () => {
    const bought = fill({ side: 0, internalAmount: 2n * ONE, premium: 100n });
    // Sold one of two back for 70, the other is worth 40: -100 + 70 + 40.
    const soldBack = fill({ side: 1, internalAmount: ONE, premium: 70n });
    expect(positionPnl([bought, soldBack], 40n, { longs: ONE, shorts: 0n, redeemed: 0n, payouts: 0n })).to.equal(10n);
    // Exercised after expiry (longs burnt, payout received): -100 + 300.
    expect(positionPnl([bought], 150n, { longs: 0n, shorts: 0n, redeemed: 0n, payouts: 300n })).to.equal(200n);
    // Wrote two for 90; settled at a payoff of 30 each, one redeemed and one not yet: 90 - 60.
    const wrote = fill({ side: 2, internalAmount: 2n * ONE, premium: 90n });
    expect(positionPnl([wrote], 30n, { longs: 0n, shorts: ONE, redeemed: ONE, payouts: 0n })).to.equal(30n);
    expect(positionPnl([wrote], null, { longs: 0n, shorts: ONE, redeemed: 0n, payouts: 0n })).to.equal(null);
  });

  it("sampleBlocks: evenly spaced, first and last included, no repeats", () => {
    expect(sampleBlocks(10n, 20n, 3)).to.deep.equal([10n, 15n, 20n]);
    expect(sampleBlocks(10n, 12n, 10)).to.deep.equal([10n, 11n, 12n]);
    expect(sampleBlocks(10n, 10n, 5)).to.deep.equal([10n]);
  });

  it("flowStats: internalized share of the options and the internal parts' mean improvement", () => {
    const s = flowStats([
      fill({ side: 0, internalAmount: ONE, ammAmount: 0n, internalPremium: 90n, ammReference: 100n }),
      fill({ side: 1, internalAmount: 0n, ammAmount: 3n * ONE }),
    ]);
    expect(s.fills).to.equal(2);
    expect(s.internalizedShare).to.equal(0.25);
    expect(s.avgImprovementBps).to.equal(1000);
    expect(flowStats([])).to.deep.equal({ fills: 0, internalizedShare: null, avgImprovementBps: null });
  });
});
