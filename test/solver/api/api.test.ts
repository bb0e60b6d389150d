import { expect } from "chai";
import { Wallet } from "ethers";
import type { FastifyInstance } from "fastify";
import { network } from "hardhat";
import {
  type Address,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  hashTypedData,
  http,
  maxUint256,
  type PublicClient,
  parseSignature,
  serializeSignature,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../../scripts/lib/accounts.js";
import { deployDevnet, LP_SPARE } from "../../../scripts/lib/devnet.js";
import { engineFor } from "../../../scripts/lib/engineHarness.js";
import { Metrics } from "../../../solver/api/metrics.js";
import { buildServer } from "../../../solver/api/server.js";
import { erc20Abi, optionLedgerAbi } from "../../../solver/chain/abis.js";
import { quoteRequestTypes, rfqDomain } from "../../../solver/chain/rfq.js";
import type { SolverChain } from "../../../solver/chain/solverChain.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { ErrorCode } from "../../../solver/errors.js";
import { silentLogger } from "../../../solver/log.js";
import { contractWallet, ethersWallet, InternalizerClient, SdkError, viemWallet } from "../../../solver/sdk/index.js";

const connection = await network.create();
const requesterKey = devKey(7);
const requester = privateKeyToAccount(requesterKey);
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SIDE = { buy: 0, sellToClose: 1, sellToOpen: 2 } as const;

type Req = {
  requester: string;
  seriesId: string;
  side: keyof typeof SIDE;
  amount: string;
  nonce: string;
  expiry: string;
};

/** The engine's own chain client, as the solver's process hands it to the server. */
const readerOf = (engine: Engine) => (engine.chain as SolverChain).clients.publicClient as unknown as PublicClient;

describe("RFQ API", function () {
  this.timeout(120_000);
  let engine: Engine;
  let app: FastifyInstance;
  let url: string;
  let series: bigint[];
  let chainId: number;
  let settlement: Address;
  let nonce = 1n;
  let seed: Awaited<ReturnType<typeof deployDevnet>>;

  before(async () => {
    seed = await deployDevnet(connection);
    series = seed.series;
    chainId = seed.deployment.chainId;
    settlement = seed.deployment.contracts.settlement;
    engine = await engineFor(seed.system, { config: { api: { adminToken: "test-admin-token-0123456789" } } });
    app = await buildServer({ engine, reader: readerOf(engine), metrics: new Metrics(engine), log: silentLogger() });
    url = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  after(async () => {
    await app.close();
    await engine.submitter.flush();
  });

  /** The chain's time: the API judges expiries on it, not on this machine's clock. */
  const now = async () => Number((await connection.ethers.provider.getBlock("latest"))!.timestamp);
  const atm = () => series[4]!;

  /** A correctly signed request body; `sign` overrides who signs or what is signed. */
  async function signedBody(
    fields: Partial<Req> = {},
    opts: { key?: Hex; signed?: Partial<Req>; chainId?: number } = {},
  ): Promise<Record<string, unknown>> {
    const request: Req = {
      requester: requester.address,
      seriesId: atm().toString(),
      side: "buy",
      amount: (10n ** 16n).toString(),
      nonce: (nonce++).toString(),
      expiry: String((await now()) + 60),
      ...fields,
    };
    const s = { ...request, ...opts.signed };
    const digest = hashTypedData({
      domain: rfqDomain(opts.chainId ?? chainId, settlement),
      types: quoteRequestTypes,
      primaryType: "QuoteRequest",
      message: {
        requester: s.requester as Address,
        seriesId: BigInt(s.seriesId),
        side: SIDE[s.side],
        amount: BigInt(s.amount),
        nonce: BigInt(s.nonce),
        expiry: BigInt(s.expiry),
      },
    });
    const signature = await privateKeyToAccount(opts.key ?? requesterKey).sign({ hash: digest });
    return { chainId: opts.chainId ?? chainId, request, signature };
  }

  async function post(path: string, payload: unknown, headers: Record<string, string> = {}) {
    const res = await app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/json", ...headers },
      payload: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> & { error?: { code: string } } };
  }

  async function expectServing() {
    const { status, body } = await post("/v1/rfq", await signedBody());
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body.status).to.equal("quoted");
  }

  it("leaves the devnet's LP (account 3) WETH and USDC of its own to deposit by hand after seeding", async () => {
    const { weth, usdc, lp } = seed.system;
    expect(await weth.balanceOf(lp.address)).to.equal(LP_SPARE.weth);
    expect(await usdc.balanceOf(lp.address)).to.equal(LP_SPARE.usdc);
    expect(lp.address).to.equal(privateKeyToAccount(devKey(3)).address);
  });

  describe("malformed-request suite: each case is refused with its code, then a valid request is answered", () => {
    const cases: Array<{
      name: string;
      body: () => Promise<unknown> | unknown;
      status: number;
      code: string;
      path?: string;
      headers?: Record<string, string>;
    }> = [];
    const invalid = (name: string, body: () => unknown) =>
      cases.push({ name, body, status: 400, code: ErrorCode.InvalidRequest });
    const withRequest = (patch: Record<string, unknown>) => async () => {
      const b = (await signedBody()) as { request: Record<string, unknown> };
      return { ...b, request: { ...b.request, ...patch } };
    };
    const without = (field: string) => async () => {
      const b = (await signedBody()) as { request: Record<string, unknown> };
      const { [field]: _drop, ...rest } = b.request;
      return { ...b, request: rest };
    };

    const badUints: Array<[string, unknown]> = [
      ["a number", 1],
      ["negative", "-1"],
      ["fractional", "1.5"],
      ["exponent", "1e18"],
      ["hex", "0x10"],
      ["empty", ""],
      ["leading zero", "01"],
      ["whitespace", " 1"],
      ["above uint256", (maxUint256 + 1n).toString()],
      ["80 digits", "9".repeat(80)],
      ["null", null],
      ["an object", { v: 1 }],
      ["an array", ["1"]],
      ["a boolean", true],
    ];
    for (const field of ["seriesId", "amount", "nonce", "expiry"]) {
      for (const [what, value] of badUints) invalid(`${field} is ${what}`, withRequest({ [field]: value }));
      invalid(`${field} is missing`, without(field));
    }
    invalid("amount is zero", withRequest({ amount: "0" }));
    for (const [what, value] of [
      ["a number", 1],
      ["short", "0x1234"],
      ["not hex", `0x${"z".repeat(40)}`],
      ["empty", ""],
      ["null", null],
      ["21 bytes", `0x${"11".repeat(21)}`],
    ] as Array<[string, unknown]>) {
      invalid(`requester is ${what}`, withRequest({ requester: value }));
    }
    invalid("requester is missing", without("requester"));
    for (const value of ["BUY", "sell", "", 0, null, ["buy"]])
      invalid(`side is ${JSON.stringify(value)}`, withRequest({ side: value }));
    invalid("side is missing", without("side"));
    for (const [what, value] of [
      ["a string", String(chainId)],
      ["fractional", chainId + 0.5],
      ["negative", -chainId],
      ["zero", 0],
      ["null", null],
    ] as Array<[string, unknown]>) {
      invalid(`chainId is ${what}`, async () => ({ ...(await signedBody()), chainId: value }));
    }
    for (const [what, value] of [
      ["missing 0x", "ab".repeat(65)],
      ["odd length", `0x${"a".repeat(129)}`],
      ["empty", "0x"],
      ["too short", `0x${"ab".repeat(20)}`],
      ["a number", 5],
      ["not hex", `0x${"zz".repeat(65)}`],
    ] as Array<[string, unknown]>) {
      invalid(`signature is ${what}`, async () => ({ ...(await signedBody()), signature: value }));
    }
    invalid("signature is missing", async () => {
      const { signature: _s, ...rest } = await signedBody();
      return rest;
    });
    invalid("an unknown top-level field", async () => ({ ...(await signedBody()), extra: 1 }));
    invalid("an unknown request field", withRequest({ price: "1" }));
    invalid("request is a string", async () => ({ ...(await signedBody()), request: "buy" }));
    invalid("request is null", async () => ({ ...(await signedBody()), request: null }));
    invalid("the body is an array", async () => [await signedBody()]);
    invalid("the body is a number", () => 42);
    invalid("the body is an empty object", () => ({}));
    invalid("expiry is further ahead than the allowed age", async () =>
      signedBody({ expiry: String((await now()) + 3600) }),
    );
    for (const [name, raw] of [
      ["truncated JSON", '{"chainId": 31337, "request": {'],
      ["not JSON", "hello"],
      ["a trailing comma", '{"chainId": 31337,}'],
      ["single quotes", "{'chainId': 31337}"],
      ["an empty body", ""],
    ] as Array<[string, string]>) {
      cases.push({ name, body: () => raw, status: 400, code: ErrorCode.MalformedJson });
    }
    cases.push({
      name: "an oversized body",
      body: async () => JSON.stringify({ ...(await signedBody()), pad: "x".repeat(20_000) }),
      status: 413,
      code: ErrorCode.BodyTooLarge,
    });
    cases.push({
      name: "a form-encoded body",
      body: () => "chainId=31337",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      status: 415,
      code: ErrorCode.UnsupportedMediaType,
    });
    cases.push({
      name: "the wrong chain id (signed for it)",
      body: () => signedBody({}, { chainId: 1 }),
      status: 400,
      code: ErrorCode.WrongChain,
    });
    cases.push({
      name: "an expired request",
      body: async () => signedBody({ expiry: String((await now()) - 1) }),
      status: 410,
      code: ErrorCode.RequestExpired,
    });
    cases.push({
      name: "signed by another key",
      body: () => signedBody({}, { key: devKey(8) }),
      status: 401,
      code: ErrorCode.SignatureInvalid,
    });
    cases.push({
      name: "a signature over a smaller amount",
      body: () => signedBody({ amount: (10n ** 18n).toString() }, { signed: { amount: "1" } }),
      status: 401,
      code: ErrorCode.SignatureInvalid,
    });
    cases.push({
      name: "a signature over another series",
      body: () => signedBody({}, { signed: { seriesId: series[0]!.toString() } }),
      status: 401,
      code: ErrorCode.SignatureInvalid,
    });
    cases.push({
      name: "a high-s (malleated) copy of a valid signature",
      body: async () => {
        const b = (await signedBody()) as { signature: Hex };
        const sig = parseSignature(b.signature);
        const s = N - BigInt(sig.s);
        const flipped = serializeSignature({
          r: sig.r,
          s: `0x${s.toString(16).padStart(64, "0")}`,
          yParity: sig.yParity === 0 ? 1 : 0,
        });
        return { ...b, signature: flipped };
      },
      status: 401,
      code: ErrorCode.SignatureInvalid,
    });
    cases.push({
      name: "a zeroed signature",
      body: async () => ({ ...(await signedBody()), signature: `0x${"00".repeat(65)}` }),
      status: 401,
      code: ErrorCode.SignatureInvalid,
    });
    cases.push({
      name: "a replayed request",
      body: async () => {
        const b = await signedBody();
        expect((await post("/v1/rfq", b)).status).to.equal(200);
        return b;
      },
      status: 409,
      code: ErrorCode.RequestReplayed,
    });
    // Orders: malformed intents and unknown quotes.
    const intent = async () => ({
      user: requester.address,
      seriesId: atm().toString(),
      side: "buy",
      amount: "1000",
      limitPremium: "1",
      deadline: String((await now()) + 30),
      nonce: "1",
      recipient: requester.address,
      exclusiveSolver: "0x0000000000000000000000000000000000000000",
      quoteId: `0x${"ab".repeat(32)}`,
    });
    const order = async (patch: Record<string, unknown>, signature: unknown = `0x${"11".repeat(65)}`) => ({
      intent: { ...(await intent()), ...patch },
      signature,
    });
    for (const [name, patch] of [
      ["amount is negative", { amount: "-5" }],
      ["amount is fractional", { amount: "0.5" }],
      ["deadline is a number", { deadline: 5 }],
      ["quoteId is short", { quoteId: "0x1234" }],
      ["side is unknown", { side: "short" }],
      ["user is not an address", { user: "alice" }],
      ["limitPremium is above uint256", { limitPremium: (maxUint256 + 1n).toString() }],
    ] as Array<[string, Record<string, unknown>]>) {
      cases.push({
        name: `order: ${name}`,
        path: "/v1/orders",
        body: () => order(patch),
        status: 400,
        code: ErrorCode.InvalidRequest,
      });
    }
    cases.push({
      name: "order: no signature",
      path: "/v1/orders",
      body: async () => ({ intent: await intent() }),
      status: 400,
      code: ErrorCode.InvalidRequest,
    });
    cases.push({
      name: "order: an unknown quote",
      path: "/v1/orders",
      body: () => order({}),
      status: 404,
      code: ErrorCode.QuoteUnknown,
    });

    it(`has at least 100 cases (${cases.length})`, () => {
      expect(cases.length).to.be.at.least(100);
    });

    for (const c of cases) {
      it(`refuses ${c.name} with ${c.status} ${c.code}`, async () => {
        const { status, body } = await post(c.path ?? "/v1/rfq", await c.body(), c.headers);
        expect(status, JSON.stringify(body)).to.equal(c.status);
        expect(body.error?.code, JSON.stringify(body)).to.equal(c.code);
        await expectServing();
      });
    }

    for (const [name, fields, code] of [
      ["an unknown series", () => ({ seriesId: (atm() + 1n).toString() }), ErrorCode.SeriesUnknown],
      ["an order above the maximum size", () => ({ amount: (1000n * 10n ** 18n).toString() }), ErrorCode.SizeTooLarge],
    ] as Array<[string, () => Partial<Req>, string]>) {
      it(`declines ${name} with ${code}, as an answer`, async () => {
        const { status, body } = await post("/v1/rfq", await signedBody(fields()));
        expect(status).to.equal(200);
        expect(body).to.deep.include({ status: "declined", code });
        await expectServing();
      });
    }

    it("refuses GET of a malformed and of an unknown order hash", async () => {
      const bad = await app.inject({ method: "GET", url: "/v1/orders/0x12" });
      expect([bad.statusCode, bad.json().error.code]).to.deep.equal([400, ErrorCode.InvalidRequest]);
      const unknown = await app.inject({ method: "GET", url: `/v1/orders/0x${"cd".repeat(32)}` });
      expect([unknown.statusCode, unknown.json().error.code]).to.deep.equal([404, ErrorCode.OrderUnknown]);
    });

    it("refuses operator endpoints without the admin token, or with a wrong one", async () => {
      for (const authorization of [
        undefined,
        "Bearer wrong",
        "Bearer test-admin-token-012345678X",
        "test-admin-token-0123456789",
      ]) {
        const res = await app.inject({
          method: "POST",
          url: "/v1/admin/pause",
          headers: authorization ? { authorization } : {},
        });
        expect([res.statusCode, res.json().error.code]).to.deep.equal([
          401,
          authorization ? ErrorCode.TokenInvalid : ErrorCode.TokenMissing,
        ]);
      }
      expect(engine.killSwitch.paused).to.equal(false);
    });
  });

  describe("rate limits", () => {
    let strict: FastifyInstance;
    before(async () => {
      const saved = { ...engine.config.api };
      Object.assign(engine.config.api, { ratePerSecond: 0.001, rateBurst: 3 });
      strict = await buildServer({
        engine,
        reader: readerOf(engine),
        metrics: new Metrics(engine),
        log: silentLogger(),
      });
      Object.assign(engine.config.api, saved);
    });
    after(() => strict.close());
    const send = (b: unknown) =>
      strict.inject({
        method: "POST",
        url: "/v1/rfq",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(b),
      });

    it("answers 429 RATE_LIMITED with retry-after once a requester's bucket is empty", async () => {
      const key = devKey(9);
      const who = privateKeyToAccount(key).address;
      for (let i = 0; i < 3; i++)
        expect((await send(await signedBody({ requester: who }, { key }))).statusCode).to.equal(200);
      const res = await send(await signedBody({ requester: who }, { key }));
      expect([res.statusCode, res.json().error.code]).to.deep.equal([429, ErrorCode.RateLimited]);
      expect(Number(res.headers["retry-after"])).to.be.greaterThan(0);
    });

    it("does not charge a requester for forged requests in its name", async () => {
      const victimKey = devKey(8);
      const victim = privateKeyToAccount(victimKey).address;
      for (let i = 0; i < 10; i++) {
        const res = await send(await signedBody({ requester: victim }, { key: devKey(11) }));
        expect(res.json().error.code).to.equal(ErrorCode.SignatureInvalid);
      }
      const res = await send(await signedBody({ requester: victim }, { key: victimKey }));
      expect(res.json().status).to.equal("quoted");
    });
  });

  describe("overload", () => {
    const inject = (server: FastifyInstance, b: unknown) =>
      server.inject({
        method: "POST",
        url: "/v1/rfq",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify(b),
      });
    /** Runs `fn` with the API config changed and the vault's quote view answering `delayMs` late. */
    async function under<T>(api: Partial<Engine["config"]["api"]>, delayMs: number, fn: () => Promise<T>): Promise<T> {
      const saved = { ...engine.config.api };
      const vaultQuote = engine.market.vaultQuote.bind(engine.market);
      engine.market.vaultQuote = async (...args) => {
        await new Promise((r) => setTimeout(r, delayMs));
        return vaultQuote(...args);
      };
      Object.assign(engine.config.api, api);
      try {
        return await fn();
      } finally {
        Object.assign(engine.config.api, saved);
        engine.market.vaultQuote = vaultQuote;
      }
    }

    it("answers 429 RATE_LIMITED per client address before checking signatures", async () => {
      const saved = { ...engine.config.api };
      Object.assign(engine.config.api, { ipRatePerSecond: 0.001, ipRateBurst: 2 });
      const perAddress = await buildServer({
        engine,
        reader: readerOf(engine),
        metrics: new Metrics(engine),
        log: silentLogger(),
      });
      Object.assign(engine.config.api, saved);
      try {
        for (let i = 0; i < 2; i++) expect((await inject(perAddress, { forged: true })).statusCode).to.equal(400);
        const res = await inject(perAddress, await signedBody());
        expect([res.statusCode, res.json().error.code]).to.deep.equal([429, ErrorCode.RateLimited]);
        expect(res.json().error.message).to.equal("too many requests for this client address");
      } finally {
        await perAddress.close();
      }
    });

    it("answers 429 BUSY beyond its in-flight cap instead of queueing", async () => {
      await under({ maxInFlight: 1 }, 100, async () => {
        const [a, b] = await Promise.all([inject(app, await signedBody()), inject(app, await signedBody())]);
        const codes = [a, b].map((r) => (r.statusCode === 200 ? r.json().status : r.json().error.code)).sort();
        expect(codes).to.deep.equal([ErrorCode.Busy, "quoted"]);
        expect([a, b].find((r) => r.statusCode !== 200)!.statusCode).to.equal(429);
      });
    });

    it("declines with BUDGET_EXCEEDED when it cannot answer in time, and reserves nothing", async () => {
      const before = engine.reservations.size;
      await under({ quoteBudgetMs: 20 }, 200, async () => {
        const started = Date.now();
        const res = await inject(app, await signedBody());
        expect(Date.now() - started).to.be.lessThan(150);
        expect(res.statusCode).to.equal(200);
        expect(res.json()).to.deep.include({ status: "declined", code: ErrorCode.BudgetExceeded });
        await new Promise((r) => setTimeout(r, 300));
      });
      expect(engine.reservations.size).to.equal(before);
    });
  });

  describe("SDK", () => {
    // The solver process ticks the engine (which flushes the submitter); so does this test.
    let ticker: NodeJS.Timeout;
    before(() => {
      ticker = setInterval(() => void engine.tick().catch(() => {}), 100);
    });
    after(() => clearInterval(ticker));
    const buyAndFill = async (client: InternalizerClient) => {
      const quote = await client.requestQuote({ series: atm(), side: "buy", amount: 10n ** 17n });
      expect(quote.solver).to.equal(engine.solver);
      const fill = await client.execute(quote, { timeoutMs: 60_000 });
      expect(fill.status).to.equal("filled");
      expect(fill.txHash).to.match(/^0x[0-9a-f]{64}$/);
      const balance = await (engine.chain as SolverChain).clients.publicClient.readContract({
        address: engine.deployment.contracts.ledger,
        abi: optionLedgerAbi,
        functionName: "balanceOf",
        args: [client.address, atm()],
      });
      expect(balance).to.equal(10n ** 17n);
      return fill;
    };

    it("requests, signs, submits and waits for a fill with a viem WalletClient", async () => {
      const wallet = createWalletClient({
        account: privateKeyToAccount(devKey(4)),
        transport: http("http://127.0.0.1:1"),
      });
      await buyAndFill(await InternalizerClient.connect(url, viemWallet(wallet)));
    });

    it("does the same with an ethers v6 Signer", async () => {
      await buyAndFill(await InternalizerClient.connect(url, ethersWallet(new Wallet(devKey(5)))));
    });

    it("does the same for an EIP-1271 smart-contract wallet whose owner signs", async () => {
      const owner = privateKeyToAccount(devKey(6));
      const { viem } = connection;
      const ownerClient = await viem.getWalletClient(owner.address);
      const wallet = await viem.deployContract("MockERC1271Wallet", [owner.address]);
      const { weth } = engine.deployment.contracts;
      await (await viem.getContractAt("MockERC20", weth)).write.faucet([wallet.address, 10n ** 18n]);
      const approve = encodeFunctionData({
        abi: erc20Abi,
        functionName: "approve",
        args: [engine.deployment.contracts.settlement, maxUint256],
      });
      await wallet.write.execute([weth, approve], { account: ownerClient.account });
      const signer = viemWallet(createWalletClient({ account: owner, transport: http("http://127.0.0.1:1") }));
      await buyAndFill(await InternalizerClient.connect(url, contractWallet(wallet.address, signer)));
    });

    it("surfaces a decline as an SdkError with the reason code", async () => {
      const wallet = createWalletClient({
        account: privateKeyToAccount(devKey(4)),
        transport: http("http://127.0.0.1:1"),
      });
      const client = await InternalizerClient.connect(url, viemWallet(wallet));
      const error = await client.requestQuote({ series: atm() + 1n, side: "buy", amount: 1n }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(SdkError);
      expect((error as SdkError).code).to.equal(ErrorCode.SeriesUnknown);
    });
  });
});
