import { expect } from "chai";
import { network } from "hardhat";
import { ErrorCode } from "../../../solver/errors.js";
import { InternalizerClient, viemWallet } from "../../../solver/sdk/index.js";
import { ADMIN_TOKEN, type ApiFixture, apiFixture } from "../../support/apiFixture.js";

const connection = await network.create();

/** Every key of an object tree whose value is a number, with its path. */
function numbers(value: unknown, path = ""): string[] {
  if (typeof value === "number") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => numbers(v, path ? `${path}.${k}` : k));
  return [];
}

describe("API views: people's units, chain time, one set of names", function () {
  this.timeout(120_000);
  let f: ApiFixture;
  before(async () => {
    f = await apiFixture(connection);
  });
  after(() => f.close());
  const get = async (path: string, admin = false) =>
    (
      await f.app.inject({ method: "GET", url: path, headers: admin ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {} })
    ).json();

  it("GET /v1/series: every amount is exact base units plus units and a symbol; floats only for vol, delta, spot and times", async () => {
    const body = (await get("/v1/series")) as { series: Array<Record<string, unknown>> };
    const allowed =
      /^(spot|chainTime|series\[\d+\]\.(vol|delta|expiry|premiumAsset\.decimals|(model|bid|ask|ammBid|ammAsk|strike)\.decimals))$/;
    expect(numbers(body).filter((p) => !allowed.test(p))).to.deep.equal([]);
    const s = body.series[0]!;
    expect(s.instrument).to.match(/^ETH-\d{1,2}[A-Z]{3}\d{2}-\d+-[CP]$/);
    expect((s.strike as { formatted: string; symbol: string }).symbol).to.equal("USDC");
  });

  it("values PnL only at a block the chain has since the deployment, and refuses others with their range", async () => {
    const latest = Number(await f.engine.chain.latestBlock());
    const first = f.engine.deployment.block + 1;
    expect(((await get(`/v1/admin/pnl?block=${latest}`, true)) as { block: number }).block).to.equal(latest);
    for (const block of [String(first - 1), String(latest + 1_000), "0", "1e3", "abc", "12345678901234567"]) {
      const res = await f.app.inject({
        method: "GET",
        url: `/v1/admin/pnl?block=${block}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(res.statusCode, block).to.equal(400);
      expect(res.json().error.code, block).to.equal(ErrorCode.InvalidRequest);
    }
    const late = await f.app.inject({
      method: "GET",
      url: `/v1/admin/pnl?block=${latest + 1_000}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(late.json().error).to.deep.include({
      message: "the block is before the deployment or after the latest block",
      details: { firstBlock: first, latestBlock: latest },
    });
  });

  it("refuses a body with __proto__ keys as INVALID_REQUEST, naming the rule, spelled plainly or escaped", async () => {
    const bodies = [
      '{"__proto__": {"polluted": true}}',
      '{"\\u005f_proto__": {"polluted": true}}',
      '{"a": {"\\u0063onstructor": {"prototype": {"polluted": true}}}}',
    ];
    for (const payload of bodies) {
      const res = await f.app.inject({
        method: "POST",
        url: "/v1/rfq",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect([payload, res.statusCode]).to.deep.equal([payload, 400]);
      expect(res.json().error).to.deep.equal({
        code: ErrorCode.InvalidRequest,
        message: "the body may not use __proto__ or constructor keys",
      });
    }
  });

  it("GET /v1/series/:series finds a series by its instrument name, and an unknown name is SERIES_UNKNOWN", async () => {
    const { series } = (await get("/v1/series")) as { series: Array<{ seriesId: string; instrument: string }> };
    const one = (await get(`/v1/series/${series[3]!.instrument}`)) as { series: { seriesId: string } };
    expect(one.series.seriesId).to.equal(series[3]!.seriesId);
    const unknown = (await get("/v1/series/ETH-1JAN20-1000-C")) as { error: { code: string } };
    expect(unknown.error.code).to.equal(ErrorCode.SeriesUnknown);
  });

  it("GET /v1/eip712 gives every signed message's domain, types and enum encodings", async () => {
    const body = (await get("/v1/eip712")) as {
      domains: Record<string, { name: string; chainId: number; verifyingContract: string }>;
      messages: Record<string, { domain: string; types: Record<string, unknown> }>;
      enums: { side: Record<string, number>; route: Record<string, number> };
    };
    expect(body.domains.rfq).to.include({ name: "Internalizer RFQ", chainId: f.seed.deployment.chainId });
    expect(body.domains.settlement).to.include({ name: "Internalizer Settlement" });
    expect(Object.keys(body.messages)).to.have.members(["QuoteRequest", "Quote", "Intent", "Access", "CancelOrder"]);
    expect(body.enums.side).to.deep.equal({ buy: 0, sellToClose: 1, sellToOpen: 2 });
    expect(body.enums.route).to.deep.equal({ internal: 0, amm: 1, split: 2 });
  });

  it("keeps an order's times on chain time, and its audit trail from quote to fill", async () => {
    const client = await InternalizerClient.connect(f.url, viemWallet(f.walletFor(4)));
    const quote = await client.requestQuote({ series: f.seed.series[4]!, side: "buy", amount: 10n ** 17n });
    expect(quote.improvementBps).to.be.greaterThan(0);
    expect(quote.premium.raw + quote.improvement.raw).to.equal(quote.ammReferencePremium.raw);
    const filled = await client.execute(quote);
    const now = await f.chainNow();
    for (const t of [filled.createdAt, filled.updatedAt, ...filled.trail!.map((e) => e.at)]) {
      expect(Math.abs(t - now), "a chain timestamp").to.be.lessThan(30);
    }
    expect(filled.trail!.map((e) => e.status)).to.deep.equal(["accepted", "submitted", "filled"]);
    const trail = (await get(`/v1/admin/orders/${filled.orderHash}`, true)) as {
      quote: { quoteId: string; status: string };
      order: { trail: Array<{ status: string; txHash: string | null }> };
    };
    expect(trail.quote).to.include({ quoteId: quote.quoteId, status: "filled" });
    expect(trail.order.trail.at(-1)!.txHash).to.equal(filled.txHash);
  });

  it("counts gas spent and failed orders by code in /metrics", async () => {
    const quiet = await apiFixture(await network.create(), {}, { tick: false });
    try {
      const client = await InternalizerClient.connect(quiet.url, viemWallet(quiet.walletFor(5)));
      const quote = await client.requestQuote({ series: quiet.seed.series[4]!, side: "buy", amount: 10n ** 17n });
      const signed = await client.signOrder(quote);
      await client.submitOrder(signed);
      await client.invalidateNonce(signed.intent.nonce);
      await quiet.engine.tick();
      const filled = await client.requestQuote({ series: quiet.seed.series[4]!, side: "buy", amount: 10n ** 17n });
      const hash = await client.submitOrder(await client.signOrder(filled));
      await quiet.engine.tick();
      expect((await client.order(hash)).status).to.equal("filled");
      const metrics = (await quiet.app.inject({ method: "GET", url: "/metrics" })).body;
      expect(metrics).to.match(/internalizer_orders_failed_total\{code="NONCE_USED"\} 1\n/);
      expect(metrics).to.match(/internalizer_gas_spent_wei_total\{kind="settlement"\} [1-9]\d*/);
      expect(metrics).to.match(/internalizer_fills_total\{route="internal"\} 1\n/);
    } finally {
      await quiet.close();
    }
  });

  it("changes limits and vols only through validated operator calls, and never the loaded config", async () => {
    const put = async (body: unknown) =>
      f.app.inject({
        method: "PUT",
        url: "/v1/admin/limits",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        payload: JSON.stringify(body),
      });
    const before = f.engine.config.limits.maxOrderSize;
    const ok = await put({ maxOrderSize: 7 });
    expect(ok.json()).to.include({ maxOrderSize: 7, maxSeriesPosition: f.engine.config.limits.maxSeriesPosition });
    expect(f.engine.limits.maxOrderSize).to.equal(7);
    expect(f.engine.config.limits.maxOrderSize).to.equal(before);
    for (const bad of [{ maxOrderSize: -1 }, { maxCollateralUtilisation: 2 }, { unknown: 1 }]) {
      const res = await put(bad);
      expect([res.statusCode, res.json().error.code]).to.deep.equal([400, ErrorCode.InvalidRequest]);
    }
    await put({ maxOrderSize: before });
  });
});
