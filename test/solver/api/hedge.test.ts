import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { network } from "hardhat";
import { createPublicClient, custom, type PublicClient } from "viem";
import { deployDevnet } from "../../../scripts/lib/devnet.js";
import { engineFor } from "../../../scripts/lib/engineHarness.js";
import { Metrics } from "../../../solver/api/metrics.js";
import { buildServer } from "../../../solver/api/server.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { silentLogger } from "../../../solver/log.js";

const TOKEN = "test-admin-token-0123456789";
const connection = await network.create();

describe("API: hedging (/v1/admin/hedge)", function () {
  this.timeout(120_000);
  let engine: Engine;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let seed: Awaited<ReturnType<typeof deployDevnet>>;

  const call = async (server: FastifyInstance, method: "GET" | "POST", url: string, payload?: unknown) => {
    const res = await server.inject({
      method,
      url,
      headers: { authorization: `Bearer ${TOKEN}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: response bodies of several shapes, asserted field by field
    return { status: res.statusCode, body: res.json() as Record<string, any> };
  };

  before(async () => {
    seed = await deployDevnet(connection);
    const reader = createPublicClient({ transport: custom(connection.provider) }) as PublicClient;
    const serve = async (e: Engine) => buildServer({ engine: e, reader, metrics: new Metrics(e), log: silentLogger() });
    // The devnet's deployment has the pool; the system's own record (no `uniswap`) has no hedger.
    engine = await engineFor(seed.system, {
      deployment: seed.deployment,
      config: { api: { adminToken: TOKEN }, hedge: { enabled: true, bandUsd: 5_000 } },
    });
    app = await serve(engine);
    bare = await serve(await engineFor(seed.system, { config: { api: { adminToken: TOKEN } } }));
  });

  after(async () => {
    await app.close();
    await bare.close();
  });

  it("needs the admin token", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/admin/hedge" });
    expect(res.statusCode).to.equal(401);
    expect(res.json().error.code).to.equal("ADMIN_TOKEN_MISSING");
  });

  it("shows the net delta, the band, the venue and no hedges yet", async () => {
    const { status, body } = await call(app, "GET", "/v1/admin/hedge");
    expect(status).to.equal(200);
    expect(body).to.include({ enabled: true, paused: false, hedgePnlUsd: 0, hedgeCostUsd: 0 });
    expect(body.exposure).to.have.keys(["spot", "optionsDeltaEth", "spotEth", "netDeltaEth", "netDeltaUsd"]);
    expect((body.venue as { pool: string }).pool).to.equal(engine.deployment.uniswap!.pool);
    expect(body.hedges).to.deep.equal([]);
  });

  it("pauses, runs one check when the operator asks (paused or not), forces a swap, and resumes", async () => {
    expect((await call(app, "POST", "/v1/admin/hedge/pause")).body).to.deep.equal({ paused: true });
    expect((await engine.hedger!.run()).action).to.equal("paused");
    const checked = await call(app, "POST", "/v1/admin/hedge/run", {});
    expect(checked.status).to.equal(200);
    expect((checked.body.outcome as { action: string }).action).to.be.oneOf(["inside band", "hedged"]);
    // The seeded book is flat (10 longs written against 10 shorts per series): 20 more longs of a call
    // (in the book only: the hedger reads the book) give it delta to hedge.
    const call3000 = seed.series.find((id) => engine.inventory.position(id).longs > 0n && (id >> 128n) % 2n === 1n)!;
    const p = engine.inventory.position(call3000);
    engine.inventory.setPosition(call3000, p.longs + 20n * 10n ** 18n, p.shorts);
    const forced = await call(app, "POST", "/v1/admin/hedge/run", { force: true });
    const outcome = forced.body.outcome as { action: string; hedge: { status: string; txHash: string } };
    expect(outcome.action).to.equal("hedged");
    expect(outcome.hedge.status).to.equal("done");
    const after = await call(app, "GET", "/v1/admin/hedge");
    expect((after.body.hedges as Array<{ txHash: string }>)[0]!.txHash).to.equal(outcome.hedge.txHash);
    expect(after.body.hedgeCostUsd).to.be.greaterThan(0);
    expect(Math.abs((after.body.exposure as { netDeltaUsd: number }).netDeltaUsd)).to.be.lessThan(50);
    expect((await call(app, "POST", "/v1/admin/hedge/resume")).body).to.deep.equal({ paused: false });
  });

  it("refuses a malformed run with INVALID_REQUEST", async () => {
    for (const payload of [{ force: "yes" }, { force: true, extra: 1 }]) {
      const { status, body } = await call(app, "POST", "/v1/admin/hedge/run", payload);
      expect(status).to.equal(400);
      expect((body.error as { code: string }).code).to.equal("INVALID_REQUEST");
    }
  });

  it("answers 409 HEDGE_UNAVAILABLE without a spot venue in the deployment", async () => {
    for (const [method, url] of [
      ["GET", "/v1/admin/hedge"],
      ["POST", "/v1/admin/hedge/run"],
      ["POST", "/v1/admin/hedge/pause"],
    ] as const) {
      const { status, body } = await call(bare, method, url, method === "POST" ? {} : undefined);
      expect(status, url).to.equal(409);
      expect(body.error).to.deep.equal({
        code: "HEDGE_UNAVAILABLE",
        message: "no spot venue in the deployment: hedging is unavailable",
      });
    }
  });

  it("exports the hedge metrics", async () => {
    const text = await new Metrics(engine).render();
    expect(text).to.match(/internalizer_net_delta_usd -?\d/);
    expect(text).to.match(/internalizer_pnl_usd\{component="hedgeCost"\} [1-9]/);
  });
});
