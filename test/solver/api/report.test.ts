import { expect } from "chai";
import { network } from "hardhat";
import { ErrorCode } from "../../../solver/errors.js";
import { CSV_HEADER } from "../../../solver/report/csv.js";
import { InternalizerClient, viemWallet } from "../../../solver/sdk/index.js";
import { type ApiFixture, apiFixture } from "../../support/apiFixture.js";

const connection = await network.create();

describe("API: the quote tape and the execution-quality report", function () {
  this.timeout(120_000);
  let f: ApiFixture;
  let client: InternalizerClient;
  let from: number;
  before(async () => {
    f = await apiFixture(connection);
    client = await InternalizerClient.connect(f.url, viemWallet(f.walletFor(4)));
    from = await f.chainNow();
  });
  after(() => f.close());

  const get = async (url: string) => {
    const res = await f.app.inject({ method: "GET", url });
    return { status: res.statusCode, headers: res.headers, text: res.body, json: () => res.json() };
  };

  it("refuses a bad report query with 400 INVALID_REQUEST, echoing no value", async () => {
    for (const q of [
      "from=marker",
      "to=-1",
      "from=1.5",
      "from=20&to=10",
      "format=xml",
      "horizon=-1",
      "horizon=99999999",
      "horizon=2592001",
      "from=1&from=2",
      "unknown=1",
    ]) {
      const res = await get(`/v1/report/execution?${q}`);
      expect(res.status, q).to.equal(400);
      expect(res.json().error.code, q).to.equal(ErrorCode.InvalidRequest);
      expect(res.text, q).to.not.contain("marker");
    }
  });

  it("refuses a bad tape query with 400 INVALID_REQUEST", async () => {
    for (const q of ["limit=0", "limit=1001", "from=20&to=10", "cursor=abc", `cursor=1:0x${"g".repeat(64)}`, "to=x"]) {
      const res = await get(`/v1/quotes/tape?${q}`);
      expect(res.status, q).to.equal(400);
      expect(res.json().error.code, q).to.equal(ErrorCode.InvalidRequest);
    }
  });

  it("publishes each firm quote without its requester, and the order accepted for it once there is one", async () => {
    const unordered = await client.requestQuote({ series: f.seed.series[4]!, side: "buy", amount: 10n ** 17n });
    const quote = await client.requestQuote({ series: f.seed.series[5]!, side: "buy", amount: 2n * 10n ** 17n });
    const filled = await client.execute(quote, { timeoutMs: 60_000 });
    const tape = (await get(`/v1/quotes/tape?from=${from}`)).json() as {
      quotes: Array<Record<string, unknown>>;
      nextCursor: string | null;
    };
    const byId = new Map(tape.quotes.map((q) => [q.quoteId, q]));
    expect(byId.get(unordered.quoteId)).to.include({ orderHash: null, route: unordered.route, side: "buy" });
    const entry = byId.get(quote.quoteId)!;
    expect(entry).to.include({ orderHash: filled.orderHash, instrument: quote.instrument, createdAt: quote.createdAt });
    expect(entry.amount).to.deep.equal({ ...quote.amount, raw: quote.amount.raw.toString() });
    expect(Object.keys(entry).sort()).to.deep.equal(
      [
        "quoteId",
        "createdAt",
        "validUntil",
        "seriesId",
        "instrument",
        "side",
        "amount",
        "route",
        "internalAmount",
        "premium",
        "ammReferencePremium",
        "orderHash",
      ].sort(),
    );
    expect(JSON.stringify(tape).toLowerCase()).to.not.contain(client.address.slice(2).toLowerCase());
    expect(tape.nextCursor).to.equal(null);
  });

  it("pages the tape oldest first with nextCursor, losing and repeating nothing", async () => {
    const all = ((await get(`/v1/quotes/tape?from=${from}`)).json() as { quotes: Array<{ quoteId: string }> }).quotes;
    const paged: string[] = [];
    for (let cursor: string | null = null, n = 0; n < 10; n++) {
      const page = (await get(`/v1/quotes/tape?from=${from}&limit=1${cursor ? `&cursor=${cursor}` : ""}`)).json() as {
        quotes: Array<{ quoteId: string }>;
        nextCursor: string | null;
      };
      paged.push(...page.quotes.map((q) => q.quoteId));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(all.length).to.be.greaterThan(1);
    expect(paged).to.deep.equal(all.map((q) => q.quoteId));
  });

  it("reports the fill, and serves the same figures as a CSV download", async () => {
    const to = await f.chainNow();
    const json = (await get(`/v1/report/execution?from=${from}&to=${to}&horizon=0`)).json() as {
      window: Record<string, unknown>;
      rows: Array<Record<string, unknown>>;
    };
    expect(json.window).to.include({ from, to, horizonSeconds: 0 });
    const total = json.rows.find((r) => r.bucket === "all" && r.route === "all")!;
    expect(total).to.include({ orders: 1, filledOrders: 1, fills: 1, timedFills: 1, pendingMarkouts: 0 });
    const csv = await get(`/v1/report/execution?from=${from}&to=${to}&horizon=0&format=csv`);
    expect(csv.status).to.equal(200);
    expect(csv.headers["content-type"]).to.match(/^text\/csv/);
    expect(csv.headers["content-disposition"]).to.equal(`attachment; filename="execution-report-${from}-${to}.csv"`);
    const lines = csv.text.split("\r\n");
    expect(lines[0]).to.equal(CSV_HEADER);
    const cols = CSV_HEADER.split(",");
    const last = Object.fromEntries(lines[20]!.split(",").map((v, i) => [cols[i], v]));
    expect(last).to.include({ bucket: "all", route: "all", orders: "1", fills: "1" });
    expect(Number(last.total_improvement_usd)).to.equal(total.totalImprovementUsd);
  });
});
