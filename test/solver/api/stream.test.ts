import { expect } from "chai";
import { network } from "hardhat";
import { type Hex, hashTypedData } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../../scripts/lib/accounts.js";
import { accessTypes, rfqDomain } from "../../../solver/chain/rfq.js";
import { ErrorCode } from "../../../solver/errors.js";
import {
  InternalizerClient,
  type Order,
  type SeriesList,
  StreamClient,
  viemWallet,
} from "../../../solver/sdk/index.js";
import { type ApiFixture, apiFixture } from "../../support/apiFixture.js";

const connection = await network.create();

/** A raw WebSocket client that collects every message it gets. */
class Socket {
  readonly messages: Array<Record<string, unknown>> = [];
  readonly ws: WebSocket;
  readonly open: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(`${url.replace(/^http/, "ws")}/v1/stream`);
    this.ws.onmessage = (e) => this.messages.push(JSON.parse(String(e.data)) as Record<string, unknown>);
    this.open = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error("could not connect"));
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The first message (after `from`) that matches, waiting up to `ms`. */
  async next(match: (m: Record<string, unknown>) => boolean, ms = 10_000, from = 0): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.ws.close();
  }
}

describe("WebSocket /v1/stream", function () {
  this.timeout(120_000);
  let f: ApiFixture;
  const trader = privateKeyToAccount(devKey(4));

  before(async () => {
    f = await apiFixture(connection, { api: { adminToken: "test-admin-token-0123456789", streamIntervalMs: 200 } });
  });
  after(() => f.close());

  /** An Access proof signed by `key` for `account`, valid for `seconds` of chain time. */
  async function access(account = trader.address, key: Hex = devKey(4), seconds = 600) {
    const expiry = BigInt((await f.chainNow()) + seconds);
    const digest = hashTypedData({
      domain: rfqDomain(f.seed.deployment.chainId, f.seed.deployment.contracts.settlement),
      types: accessTypes,
      primaryType: "Access",
      message: { account, expiry },
    });
    const signature = await privateKeyToAccount(key).sign({ hash: digest });
    return { account, expiry: expiry.toString(), signature };
  }

  it("subscribes to prices and receives every live series, amounts exact, with the AMM's beside the solver's", async () => {
    const s = new Socket(f.url);
    await s.open;
    s.send({ type: "subscribe", channel: "prices" });
    expect(await s.next((m) => m.type === "subscribed")).to.deep.equal({ type: "subscribed", channel: "prices" });
    const prices = (await s.next((m) => m.type === "prices")) as unknown as {
      chainTime: number;
      series: Array<Record<string, { raw: string; formatted: string; symbol: string } | unknown>>;
    };
    expect(prices.series.length).to.equal(30);
    const first = prices.series[0]!;
    expect(first.instrument).to.match(/^ETH-\d{1,2}[A-Z]{3}\d{2}-\d+-[CP]$/);
    for (const field of ["bid", "ask", "ammBid", "ammAsk", "model"]) {
      const amount = first[field] as { raw: string; formatted: string; symbol: string };
      expect(amount.raw, field).to.match(/^\d+$/);
      expect(amount.symbol).to.equal(first.isCall ? "WETH" : "USDC");
    }
    // And again on the interval.
    await s.next((m) => m.type === "prices", 5_000, s.messages.indexOf(prices as never) + 1);
    s.close();
  });

  it("refuses the account channel without an Access proof, or with a wrong or expired one", async () => {
    const s = new Socket(f.url);
    await s.open;
    s.send({ type: "subscribe", channel: "account" });
    expect((await s.next((m) => m.type === "error")).code).to.equal(ErrorCode.AuthRequired);
    // Signed by someone else for the trader's account.
    s.send({ type: "subscribe", channel: "account", auth: await access(trader.address, devKey(5)) });
    expect((await s.next((m) => m.type === "error", 5_000, 1)).code).to.equal(ErrorCode.AuthInvalid);
    s.send({ type: "subscribe", channel: "account", auth: await access(trader.address, devKey(4), -10) });
    expect((await s.next((m) => m.type === "error", 5_000, 2)).code).to.equal(ErrorCode.AuthInvalid);
    s.send({ type: "subscribe", channel: "account", auth: await access(trader.address, devKey(4), 2 * 86_400) });
    expect((await s.next((m) => m.type === "error", 5_000, 3)).message).to.match(/at most 86400s/);
    // Still open and serving.
    s.send({ type: "ping" });
    expect((await s.next((m) => m.type === "pong")).type).to.equal("pong");
    s.close();
  });

  it("answers malformed messages with INVALID_MESSAGE and keeps the connection open", async () => {
    const s = new Socket(f.url);
    await s.open;
    for (const bad of [
      "not json",
      "[]",
      { type: "subscribe" },
      { type: "subscribe", channel: "news" },
      { type: "eat" },
      { type: "subscribe", channel: "orders", orderHashes: ["0x12"] },
    ]) {
      s.send(bad);
    }
    await s.next(() => s.messages.filter((m) => m.type === "error").length === 6);
    expect(s.messages.every((m) => m.type === "error" && m.code === "INVALID_MESSAGE")).to.equal(true);
    s.send({ type: "ping" });
    await s.next((m) => m.type === "pong");
    s.close();
  });

  it("echoes a client's message id on its replies, errors included, and refuses a bad id", async () => {
    const s = new Socket(f.url);
    await s.open;
    s.send({ type: "ping", id: 7 });
    expect(await s.next((m) => m.type === "pong")).to.include({ id: 7 });
    s.send({ type: "subscribe", channel: "prices", id: "sub-1" });
    expect(await s.next((m) => m.type === "subscribed")).to.deep.equal({
      type: "subscribed",
      channel: "prices",
      id: "sub-1",
    });
    s.send({ type: "subscribe", channel: "account", id: "acct" });
    expect(await s.next((m) => m.type === "error" && m.id === "acct")).to.include({ code: ErrorCode.AuthRequired });
    s.send({ type: "unsubscribe", channel: "prices", id: 8 });
    expect(await s.next((m) => m.type === "unsubscribed")).to.include({ id: 8 });
    s.send({ type: "ping", id: { nested: true } });
    const bad = await s.next((m) => m.type === "error" && m.id === undefined && /`id`/.test(String(m.message)));
    expect(bad.code).to.equal("INVALID_MESSAGE");
    s.close();
  });

  it("pushes an authenticated account's orders as they move: accepted, submitted, filled", async () => {
    const s = new Socket(f.url);
    await s.open;
    s.send({ type: "subscribe", channel: "account", auth: await access() });
    expect(await s.next((m) => m.type === "subscribed")).to.include({ channel: "account", account: trader.address });
    // Another socket, subscribed to another account, must not see the trader's orders.
    const other = new Socket(f.url);
    await other.open;
    other.send({
      type: "subscribe",
      channel: "account",
      auth: await access(privateKeyToAccount(devKey(5)).address, devKey(5)),
    });
    await other.next((m) => m.type === "subscribed");

    const client = await InternalizerClient.connect(f.url, viemWallet(f.walletFor(4)));
    const quote = await client.requestQuote({ series: f.seed.series[4]!, side: "buy", amount: 10n ** 17n });
    const orderHash = await client.submitOrder(await client.signOrder(quote));
    const seen = new Set<string>();
    await s.next((m) => {
      const o = m.order as { orderHash?: string; status?: string } | undefined;
      if (m.type === "order" && o?.orderHash === orderHash) seen.add(o.status!);
      return seen.has("filled");
    }, 30_000);
    expect([...seen]).to.include.members(["accepted", "filled"]);
    expect(other.messages.filter((m) => m.type === "order")).to.have.length(0);
    // Anyone may follow an order by its hash (what GET /v1/orders/:hash shows).
    other.send({ type: "subscribe", channel: "orders", orderHashes: [orderHash] });
    const pushed = (await other.next((m) => m.type === "order")).order as { status: string };
    expect(pushed.status).to.equal("filled");
    s.close();
    other.close();
  });

  it("the SDK's stream client reconnects after the server drops it, and subscribes again", async () => {
    const prices: SeriesList[] = [];
    const orders: Order[] = [];
    let opens = 0;
    let closes = 0;
    const stream = new StreamClient(
      f.url,
      {
        onPrices: (p) => prices.push(p),
        onOrder: (o) => orders.push(o),
        onOpen: () => opens++,
        onClose: () => closes++,
      },
      { maxDelayMs: 200 },
    );
    stream.subscribe({ channel: "prices" });
    const client = await InternalizerClient.connect(f.url, viemWallet(f.walletFor(5)));
    stream.subscribe({ channel: "account", auth: await client.accessProof() });
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 15_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error("timed out");
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await until(() => prices.length > 0);
    // The server drops every connection.
    for (const socket of f.app.websocketServer.clients) socket.terminate();
    await until(() => closes > 0 && opens > 1);
    const before = prices.length;
    await until(() => prices.length > before);
    // The account subscription came back too: the next order reaches it.
    const quote = await client.requestQuote({ series: f.seed.series[4]!, side: "buy", amount: 10n ** 17n });
    const filled = await client.execute(quote);
    await until(() => orders.some((o) => o.orderHash === filled.orderHash && o.status === "filled"));
    stream.close();
  });
});
