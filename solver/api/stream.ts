import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { z } from "zod";
import { ErrorCode, InternalizerError } from "../errors.js";
import type { OrderRecord } from "../types.js";
import type { ApiContext } from "./context.js";
import { RateLimiter } from "./guards.js";
import { indicativePrices } from "./reports.js";
import { AccessProofSchema, bytes32 } from "./schemas.js";
import { orderView } from "./views.js";

/**
 * Messages a client sends, by `type`. See docs/STREAM.md for each message and its answers.
 * - `{"type":"subscribe","channel":"prices"}`: indicative prices now and every `streamIntervalMs`.
 * - `{"type":"subscribe","channel":"orders","orderHashes":["0x…"]}`: those orders' status changes (what
 *   GET /v1/orders/:hash shows to anyone).
 * - `{"type":"subscribe","channel":"account","auth":{"account","expiry","signature"}}`: every order of the
 *   account, proven by its EIP-712 Access signature (EOA or EIP-1271), until the proof expires.
 * - `{"type":"unsubscribe","channel":"prices"|"orders"|"account"}`, `{"type":"ping"}`.
 */
const Envelope = z.object({ type: z.enum(["subscribe", "unsubscribe", "ping"]) }).loose();
const Subscribe = z.discriminatedUnion("channel", [
  z.strictObject({ type: z.literal("subscribe"), channel: z.literal("prices") }),
  z.strictObject({
    type: z.literal("subscribe"),
    channel: z.literal("orders"),
    orderHashes: z.array(bytes32).min(1).max(100),
  }),
  z.strictObject({ type: z.literal("subscribe"), channel: z.literal("account"), auth: AccessProofSchema }),
]);
const Unsubscribe = z.strictObject({
  type: z.literal("unsubscribe"),
  channel: z.enum(["prices", "orders", "account"]),
});
const Ping = z.strictObject({ type: z.literal("ping") });
/** A client's optional correlation id, echoed on the replies to that message. */
const MessageId = z.union([z.string().max(64), z.number().int().safe()]);
type Reply = (message: Record<string, unknown>) => void;

interface Subscriber {
  prices: boolean;
  orders: Set<string>;
  /** The proven account and the chain time its proof expires. */
  account: { address: string; until: number } | null;
}

const MAX_ORDER_HASHES = 1_000;
const HEARTBEAT_MS = 30_000;

type Refuse = (code: string, message: string) => void;
type Subscription = z.output<typeof Subscribe>;

/**
 * WebSocket /v1/stream: indicative two-sided prices (the solver's and the AMM's) every `streamIntervalMs`,
 * and order status changes, by order hash or, with an Access proof, for a whole account. Every message is a
 * JSON object with a `type`; a bad one is answered with `{"type":"error","code","message"}` and the
 * connection stays open. Dead connections are dropped by a ping every 30 s.
 */
export function attachStream(app: FastifyInstance, ctx: ApiContext): void {
  const hub = new StreamHub(ctx);
  ctx.engine.events.on("order", (order: OrderRecord) => hub.orderChanged(order));
  const timers = hub.startTimers();
  app.addHook("onClose", async () => {
    for (const t of timers) clearInterval(t);
    hub.closeAll();
  });
  app.get("/v1/stream", { websocket: true }, (socket, req) =>
    hub.connect(socket, `${req.ip}:${req.socket.remotePort}`),
  );
}

/** The stream's connections and what each subscribed to. */
class StreamHub {
  readonly #clients = new Map<WebSocket, Subscriber>();
  readonly #limiter = new RateLimiter(20, 40, "connection");

  constructor(readonly ctx: ApiContext) {}

  #send(socket: WebSocket, message: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }

  /** An order's new status goes to its account's proven subscribers and to those following its hash. */
  orderChanged(order: OrderRecord): void {
    const { engine } = this.ctx;
    const now = engine.market.lastChainTime() ?? 0;
    const view = { type: "order", order: orderView(order, engine.assets) };
    for (const [socket, sub] of this.#clients) {
      const own = sub.account && sub.account.address === order.user.toLowerCase() && now < sub.account.until;
      if (own || sub.orders.has(order.orderHash.toLowerCase())) this.#send(socket, view);
    }
  }

  /** Prices every `streamIntervalMs` while anyone listens, and a ping every 30 s that drops dead sockets. */
  startTimers(): NodeJS.Timeout[] {
    const prices = setInterval(() => {
      if ([...this.#clients.values()].some((c) => c.prices)) void this.#pushPrices();
    }, this.ctx.engine.config.api.streamIntervalMs);
    const heartbeat = setInterval(() => {
      for (const socket of this.#clients.keys()) {
        const alive = socket as WebSocket & { alive?: boolean };
        if (alive.alive === false) socket.terminate();
        else {
          alive.alive = false;
          socket.ping();
        }
      }
    }, HEARTBEAT_MS);
    prices.unref();
    heartbeat.unref();
    return [prices, heartbeat];
  }

  closeAll(): void {
    for (const socket of this.#clients.keys()) socket.close(1001, "server shutting down");
  }

  async #pushPrices(only?: WebSocket): Promise<void> {
    try {
      const prices = { type: "prices", ...(await indicativePrices(this.ctx.engine)) };
      if (only) return this.#send(only, prices);
      for (const [socket, sub] of this.#clients) if (sub.prices) this.#send(socket, prices);
    } catch (error) {
      this.ctx.log.warn({ err: error }, "could not price the stream");
      if (only)
        this.#send(only, {
          type: "error",
          code: ErrorCode.ChainUnavailable,
          message: "prices are not available right now",
        });
    }
  }

  connect(socket: WebSocket, key: string): void {
    if (this.#clients.size >= this.ctx.engine.config.api.maxStreamClients) {
      socket.close(1013, "too many stream clients; retry later");
      return;
    }
    const sub: Subscriber = { prices: false, orders: new Set(), account: null };
    const alive = socket as WebSocket & { alive?: boolean };
    alive.alive = true;
    socket.on("pong", () => {
      alive.alive = true;
    });
    this.#clients.set(socket, sub);
    socket.on("close", () => this.#clients.delete(socket));
    socket.on("message", (raw) => this.#message(socket, sub, key, String(raw)));
  }

  /** One message: parsed, rate limited, answered (with the client's `id` when it sent a valid one). */
  #message(socket: WebSocket, sub: Subscriber, key: string, raw: string): void {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      data = undefined;
    }
    const { id, ...body } = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    const echo = MessageId.safeParse(id);
    const tag = echo.success ? { id: echo.data } : {};
    const reply: Reply = (m) => this.#send(socket, { ...m, ...tag });
    const fail: Refuse = (code, message) => reply({ type: "error", code, message });
    void (async () => {
      this.#limiter.take(key);
      if (data === undefined) return fail("INVALID_MESSAGE", "a message is one JSON object");
      if (id !== undefined && !echo.success)
        return fail("INVALID_MESSAGE", "`id` is a string of at most 64 characters or an integer");
      return this.#handle(socket, sub, Array.isArray(data) ? data : body, reply, fail);
    })().catch((error: unknown) => {
      if (error instanceof InternalizerError) fail(error.code, error.message);
      else {
        this.ctx.log.error({ err: error }, "stream message failed");
        fail(ErrorCode.Internal, "the message could not be handled");
      }
    });
  }

  async #handle(socket: WebSocket, sub: Subscriber, data: unknown, reply: Reply, refuse: Refuse): Promise<void> {
    const envelope = Envelope.safeParse(data);
    if (!envelope.success) {
      return refuse("INVALID_MESSAGE", 'expected {"type": "subscribe" | "unsubscribe" | "ping", …}');
    }
    if (envelope.data.type === "ping") {
      if (!Ping.safeParse(data).success) return refuse("INVALID_MESSAGE", 'a ping is {"type":"ping"}');
      return reply({ type: "pong", chainTime: this.ctx.engine.market.lastChainTime() ?? null });
    }
    if (envelope.data.type === "unsubscribe") return unsubscribe(sub, data, reply, refuse);
    const m = Subscribe.safeParse(data);
    if (m.success) return this.#subscribe(socket, sub, m.data, reply, refuse);
    const fields = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    if (fields.channel === "account" && fields.auth === undefined) {
      return refuse(ErrorCode.AuthRequired, "the account channel needs an Access signature in `auth`");
    }
    return refuse(
      "INVALID_MESSAGE",
      "subscribe to prices, to orders with orderHashes (1-100 order hashes), or to account with auth",
    );
  }

  async #subscribe(socket: WebSocket, sub: Subscriber, s: Subscription, reply: Reply, refuse: Refuse): Promise<void> {
    const { engine } = this.ctx;
    const pushOrder = (o: OrderRecord) => this.#send(socket, { type: "order", order: orderView(o, engine.assets) });
    if (s.channel === "prices") {
      sub.prices = true;
      reply({ type: "subscribed", channel: "prices" });
      return this.#pushPrices(socket);
    }
    if (s.channel === "orders") {
      if (sub.orders.size + s.orderHashes.length > MAX_ORDER_HASHES) {
        return refuse("TOO_MANY_SUBSCRIPTIONS", `at most ${MAX_ORDER_HASHES} orders per connection`);
      }
      for (const h of s.orderHashes) sub.orders.add(h);
      reply({ type: "subscribed", channel: "orders", orderHashes: s.orderHashes });
      for (const h of s.orderHashes) {
        const known = engine.getOrder(h);
        if (known) pushOrder(known);
      }
      return;
    }
    await this.ctx.access.verify(s.auth);
    sub.account = { address: s.auth.account.toLowerCase(), until: Number(s.auth.expiry) };
    reply({ type: "subscribed", channel: "account", account: s.auth.account, until: Number(s.auth.expiry) });
    const open = engine
      .ordersOf(s.auth.account, 100)
      .filter((o) => o.status === "accepted" || o.status === "submitted");
    for (const o of open) pushOrder(o);
  }
}

function unsubscribe(sub: Subscriber, data: unknown, reply: Reply, refuse: Refuse): void {
  const m = Unsubscribe.safeParse(data);
  if (!m.success) {
    refuse("INVALID_MESSAGE", "unsubscribe names a channel: prices, orders or account");
    return;
  }
  if (m.data.channel === "prices") sub.prices = false;
  else if (m.data.channel === "orders") sub.orders.clear();
  else sub.account = null;
  reply({ type: "unsubscribed", channel: m.data.channel });
}
