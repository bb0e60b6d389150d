import { request as httpRequest } from "node:http";
import { expect } from "chai";
import { network } from "hardhat";
import {
  type Address,
  getAddress,
  type Hex,
  hashTypedData,
  parseSignature,
  serializeSignature,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../../scripts/lib/accounts.js";
import { Random } from "../../../scripts/lib/sim/random.js";
import { intentTypes, settlementDomain } from "../../../solver/chain/intent.js";
import { quoteRequestTypes, rfqDomain } from "../../../solver/chain/rfq.js";
import { ErrorCode } from "../../../solver/errors.js";
import { ADMIN_TOKEN, type ApiFixture, apiFixture } from "../../support/apiFixture.js";

const connection = await network.create();
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** ERC-8010's magic suffix: 32 bytes of 0x8010 repeated. Our contracts do not understand it; neither may the API. */
const ERC8010_SUFFIX = "8010".repeat(16);
const trader = privateKeyToAccount(devKey(4));

describe("hostile input: typed 4xx in the API's shape, never a 5xx, nothing echoed", function () {
  this.timeout(300_000);
  let f: ApiFixture;
  let nonce = 1n;
  before(async () => {
    f = await apiFixture(connection);
  });
  after(() => f.close());

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await f.app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/json", ...headers },
      payload: typeof body === "string" ? body : JSON.stringify(body),
    });
    return {
      status: res.statusCode,
      body: res.json() as { error?: { code: string; message: string }; [k: string]: unknown },
    };
  };

  async function rfq(requester: Address, sign: (digest: Hex) => Promise<Hex>, fields: Record<string, string> = {}) {
    const request = {
      requester,
      seriesId: f.seed.series[4]!.toString(),
      side: "buy" as const,
      amount: (10n ** 17n).toString(),
      nonce: (nonce++).toString(),
      expiry: String((await f.chainNow()) + 60),
      ...fields,
    };
    const digest = hashTypedData({
      domain: rfqDomain(f.seed.deployment.chainId, f.seed.deployment.contracts.settlement),
      types: quoteRequestTypes,
      primaryType: "QuoteRequest",
      message: {
        ...request,
        requester: getAddress(request.requester.toLowerCase()),
        seriesId: BigInt(request.seriesId),
        side: 0,
        amount: BigInt(request.amount),
        nonce: BigInt(request.nonce),
        expiry: BigInt(request.expiry),
      },
    });
    return post("/v1/rfq", { chainId: f.seed.deployment.chainId, request, signature: await sign(digest) });
  }

  /** A firm quote for the trader and the intent that accepts it, with its EIP-712 digest. */
  async function quotedIntent() {
    const { body } = await rfq(trader.address, (d) => trader.sign({ hash: d }));
    const q = (
      body as {
        quote: {
          quoteId: Hex;
          seriesId: string;
          amount: { raw: string };
          limitPremium: { raw: string };
          validUntil: number;
        };
      }
    ).quote;
    const intent = {
      user: trader.address,
      seriesId: BigInt(q.seriesId),
      side: 0,
      amount: BigInt(q.amount.raw),
      limitPremium: BigInt(q.limitPremium.raw),
      deadline: BigInt(q.validUntil),
      nonce: nonce++,
      recipient: trader.address,
      exclusiveSolver: zeroAddress,
      quoteId: q.quoteId,
    };
    const digest = hashTypedData({
      domain: settlementDomain(f.seed.deployment.chainId, f.seed.deployment.contracts.settlement),
      types: intentTypes,
      primaryType: "Intent",
      message: intent,
    });
    const json = {
      ...Object.fromEntries(Object.entries(intent).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])),
      side: "buy",
    };
    return { intent: json, digest };
  }

  it("refuses an order signature with the ERC-8010 suffix with 401, not 500", async () => {
    const { intent, digest } = await quotedIntent();
    const signature = `${await trader.sign({ hash: digest })}${ERC8010_SUFFIX}`;
    const { status, body } = await post("/v1/orders", { intent, signature });
    expect([status, body.error?.code]).to.deep.equal([401, ErrorCode.SignatureInvalid]);
  });

  it("refuses an ERC-8010-suffixed request signature for a contract requester with 401, not 500", async () => {
    const wallet = await connection.viem.deployContract("MockERC1271Wallet", [trader.address]);
    const { status, body } = await rfq(
      wallet.address,
      async (d) => `${await trader.sign({ hash: d })}${ERC8010_SUFFIX}` as Hex,
    );
    expect([status, body.error?.code]).to.deep.equal([401, ErrorCode.SignatureInvalid]);
  });

  it("refuses a high-s order signature, as the settlement would", async () => {
    const { intent, digest } = await quotedIntent();
    const sig = parseSignature(await trader.sign({ hash: digest }));
    const highS = serializeSignature({
      r: sig.r,
      s: `0x${(N - BigInt(sig.s)).toString(16).padStart(64, "0")}`,
      yParity: 1 - sig.yParity!,
    });
    const { status, body } = await post("/v1/orders", { intent, signature: highS });
    expect([status, body.error?.code]).to.deep.equal([401, ErrorCode.SignatureInvalid]);
  });

  it("refuses v = 0 or 1, which the settlement's ECDSA refuses, and accepts EIP-2098 64-byte signatures", async () => {
    const { intent, digest } = await quotedIntent();
    const sig = parseSignature(await trader.sign({ hash: digest }));
    const v01 = `${sig.r}${sig.s.slice(2)}0${sig.yParity}` as Hex;
    expect((await post("/v1/orders", { intent, signature: v01 })).body.error?.code).to.equal(
      ErrorCode.SignatureInvalid,
    );
    const compact = `${sig.r}${(BigInt(sig.s) | (BigInt(sig.yParity!) << 255n)).toString(16).padStart(64, "0")}` as Hex;
    expect((await post("/v1/orders", { intent, signature: compact })).status).to.equal(202);
  });

  it("refuses an address with a wrong EIP-55 checksum, and accepts it all lowercase", async () => {
    const good = trader.address;
    const flipped = (good.slice(0, 2) +
      [...good.slice(2)]
        .map((c) => (/[a-f]/.test(c) ? c.toUpperCase() : /[A-F]/.test(c) ? c.toLowerCase() : c))
        .join("")) as Address;
    const bad = await rfq(flipped, (d) => trader.sign({ hash: d }));
    expect([bad.status, bad.body.error?.code]).to.deep.equal([400, ErrorCode.InvalidRequest]);
    const lower = await rfq(good.toLowerCase() as Address, (d) => trader.sign({ hash: d }));
    expect(lower.body.status).to.equal("quoted");
  });

  /** A raw HTTP request on loopback, so that Node's parser and Fastify's router see exactly what we send. */
  function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const { port } = new URL(f.url);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: Number(port), path, headers }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("answers an over-long path parameter with 414 URI_TOO_LONG in the API's shape, echoing nothing", async () => {
    const marker = `x${"7".repeat(300)}marker`;
    const res = await raw(`/v1/orders/${marker}`);
    expect(res.status).to.equal(414);
    expect(JSON.parse(res.body)).to.deep.equal({
      error: { code: ErrorCode.UriTooLong, message: "a path parameter is too long" },
    });
    expect(res.body).to.not.include("marker");
  });

  it("answers over-long headers with 431 HEADERS_TOO_LARGE in the API's shape, echoing nothing", async () => {
    const res = await raw("/v1/health", { "x-pad": `marker${"a".repeat(20_000)}` });
    expect(res.status).to.equal(431);
    expect(JSON.parse(res.body)).to.deep.equal({
      error: { code: ErrorCode.HeadersTooLarge, message: "the request headers are too large" },
    });
  });

  it("answers a malformed URL with 400 in the API's shape", async () => {
    const res = await raw("/v1/orders/%E0%A4%A");
    expect(res.status).to.equal(400);
    expect(JSON.parse(res.body).error.code).to.equal(ErrorCode.InvalidRequest);
    expect(res.body).to.not.include("%E0");
  });

  it("never answers a 5xx to any of 600 random requests, and always answers in the error shape", async () => {
    const random = new Random(8010);
    const value = (depth: number): unknown => {
      const pick = random.int(0, depth > 2 ? 6 : 9);
      if (pick === 0) return null;
      if (pick === 1) return random.next() < 0.5;
      if (pick === 2) return random.int(-1e9, 1e9) * (random.next() < 0.5 ? 1 : 1e-7);
      if (pick === 3) return "9".repeat(random.int(0, 120));
      if (pick === 4) return `0x${"ab".repeat(random.int(0, 80))}`;
      if (pick === 5) return ["buy", "sellToOpen", "ETH-7DEC26-3000-C", "__proto__", "ß∂ƒ", ""][random.int(0, 5)];
      if (pick === 6) return `${random.int(0, 2 ** 30)}`;
      if (pick === 7) return Array.from({ length: random.int(0, 4) }, () => value(depth + 1));
      const keys = [
        "chainId",
        "request",
        "requester",
        "seriesId",
        "side",
        "amount",
        "nonce",
        "expiry",
        "signature",
        "intent",
        "user",
        "__proto__",
        "constructor",
        "type",
        "channel",
      ];
      return Object.fromEntries(
        Array.from({ length: random.int(0, 6) }, () => [keys[random.int(0, keys.length - 1)]!, value(depth + 1)]),
      );
    };
    const routes: Array<[string, string]> = [
      ["POST", "/v1/rfq"],
      ["POST", "/v1/orders"],
      ["POST", `/v1/orders/0x${"ab".repeat(32)}/cancel`],
      ["GET", "/v1/orders?user=0x12&limit=abc"],
      ["GET", "/v1/series/ETH-99XYZ99-1-C"],
      ["PUT", "/v1/admin/limits"],
      ["POST", "/v1/admin/vol"],
      ["GET", "/v1/admin/pnl?block=-1"],
      ["DELETE", "/v1/rfq"],
    ];
    for (let i = 0; i < 600; i++) {
      const [method, url] = routes[random.int(0, routes.length - 1)]!;
      const body = value(0);
      const res = await f.app.inject({
        method: method as "POST",
        url,
        headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
        ...(method === "GET" ? {} : { payload: JSON.stringify(body) }),
      });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`).to.be.lessThan(500);
      if (res.statusCode >= 400) {
        const error = res.json().error as { code: string; message: string };
        expect(Object.values(ErrorCode)).to.include(error.code);
        expect(error.message).to.be.a("string");
      }
    }
  });
});
