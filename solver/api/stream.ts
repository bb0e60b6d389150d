import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { z } from "zod";
import { indicativePrices } from "../engine/reports.js";
import { ErrorCode, InternalizerError } from "../errors.js";
import type { OrderRecord } from "../types.js";
import type { ApiContext } from "./context.js";
import { RateLimiter } from "./guards.js";
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

/**
 * WebSocket /v1/stream: indicative two-sided prices (the solver's and the AMM's) every `streamIntervalMs`,
 * and order status changes, by order hash or, with an Access proof, for a whole account. Every message is a
 * JSON object with a `type`; a bad one is answered with `{"type":"error","code","message"}` and the
 * connection stays open. Dead connections are dropped by a ping every 30 s.
 */
export function attachStream(app: FastifyInstance, ctx: ApiContext): void {
  const { engine, log } = ctx;
  const clients = new Map<WebSocket, Subscriber>();
  const limiter = new RateLimiter(20, 40, "connection");
  let connections = 0;

  const send = (socket: WebSocket, message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const refuse = (socket: WebSocket, code: string, message: string) => send(socket, { type: "error", code, message });

  engine.events.on("order", (order: OrderRecord) => {
    const now = engine.market.lastChainTime() ?? 0;
    const view = { type: "order", order: orderView(order, engine.assets) };
    for (const [socket, sub] of clients) {
      const own = sub.account && sub.account.address === order.user.toLowerCase() && now < sub.account.until;
      if (own || sub.orders.has(order.orderHash.toLowerCase())) send(socket, view);
    }
  });

  const pushPrices = async (only?: WebSocket) => {
    try {
      const prices = { type: "prices", ...(await indicativePrices(engine)) };
      if (only) return send(only, prices);
      for (const [socket, sub] of clients) if (sub.prices) send(socket, prices);
    } catch (error) {
      log.warn({ err: error }, "could not price the stream");
      if (only) refuse(only, ErrorCode.ChainUnavailable, "prices are not available right now");
    }
  };
  const prices = setInterval(() => {
    if ([...clients.values()].some((c) => c.prices)) void pushPrices();
  }, engine.config.api.streamIntervalMs);
  prices.unref();
  const heartbeat = setInterval(() => {
    for (const socket of clients.keys()) {
      const alive = socket as WebSocket & { alive?: boolean };
      if (alive.alive === false) {
        socket.terminate();
        continue;
      }
      alive.alive = false;
      socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  app.addHook("onClose", async () => {
    clearInterval(prices);
    clearInterval(heartbeat);
    for (const socket of clients.keys()) socket.close(1001, "server shutting down");
  });

  app.get("/v1/stream", { websocket: true }, (socket, req) => {
    if (connections >= engine.config.api.maxStreamClients) {
      socket.close(1013, "too many stream clients; retry later");
      return;
    }
    connections++;
    const sub: Subscriber = { prices: false, orders: new Set(), account: null };
    const alive = socket as WebSocket & { alive?: boolean };
    alive.alive = true;
    socket.on("pong", () => {
      alive.alive = true;
    });
    clients.set(socket, sub);
    socket.on("close", () => {
      clients.delete(socket);
      connections--;
    });
    const key = `${req.ip}:${req.socket.remotePort}`;
    socket.on("message", (raw) => {
      let data: unknown;
      try {
        data = JSON.parse(String(raw));
      } catch {
        data = undefined;
      }
      // The client's `id`, when it sent a valid one, comes back on every reply to this message.
      const { id, ...body } = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
      const echo = MessageId.safeParse(id);
      const tag = echo.success ? { id: echo.data } : {};
      const reply: Reply = (m) => send(socket, { ...m, ...tag });
      const fail = (code: string, message: string) => reply({ type: "error", code, message });
      void (async () => {
        limiter.take(key);
        if (data === undefined) return fail("INVALID_MESSAGE", "a message is one JSON object");
        if (id !== undefined && !echo.success)
          return fail("INVALID_MESSAGE", "`id` is a string of at most 64 characters or an integer");
        return handle(socket, sub, Array.isArray(data) ? data : body, reply, fail);
      })().catch((error: unknown) => {
        if (error instanceof InternalizerError) fail(error.code, error.message);
        else {
          log.error({ err: error }, "stream message failed");
          fail(ErrorCode.Internal, "the message could not be handled");
        }
      });
    });
  });

  async function handle(
    socket: WebSocket,
    sub: Subscriber,
    data: unknown,
    reply: Reply,
    refuse: (code: string, message: string) => void,
  ): Promise<void> {
    const envelope = Envelope.safeParse(data);
    if (!envelope.success) {
      return refuse("INVALID_MESSAGE", 'expected {"type": "subscribe" | "unsubscribe" | "ping", …}');
    }
    if (envelope.data.type === "ping") {
      if (!Ping.safeParse(data).success) return refuse("INVALID_MESSAGE", 'a ping is {"type":"ping"}');
      return reply({ type: "pong", chainTime: engine.market.lastChainTime() ?? null });
    }
    if (envelope.data.type === "unsubscribe") {
      const m = Unsubscribe.safeParse(data);
      if (!m.success) return refuse("INVALID_MESSAGE", "unsubscribe names a channel: prices, orders or account");
      if (m.data.channel === "prices") sub.prices = false;
      else if (m.data.channel === "orders") sub.orders.clear();
      else sub.account = null;
      return reply({ type: "unsubscribed", channel: m.data.channel });
    }
    const m = Subscribe.safeParse(data);
    if (!m.success) {
      const fields = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
      if (fields.channel === "account" && fields.auth === undefined) {
        return refuse(ErrorCode.AuthRequired, "the account channel needs an Access signature in `auth`");
      }
      return refuse(
        "INVALID_MESSAGE",
        "subscribe to prices, to orders with orderHashes (1-100 order hashes), or to account with auth",
      );
    }
    const s = m.data;
    if (s.channel === "prices") {
      sub.prices = true;
      reply({ type: "subscribed", channel: "prices" });
      return pushPrices(socket);
    }
    if (s.channel === "orders") {
      if (sub.orders.size + s.orderHashes.length > MAX_ORDER_HASHES) {
        return refuse("TOO_MANY_SUBSCRIPTIONS", `at most ${MAX_ORDER_HASHES} orders per connection`);
      }
      for (const h of s.orderHashes) sub.orders.add(h);
      reply({ type: "subscribed", channel: "orders", orderHashes: s.orderHashes });
      for (const h of s.orderHashes) {
        const known = engine.getOrder(h);
        if (known) send(socket, { type: "order", order: orderView(known, engine.assets) });
      }
      return;
    }
    await ctx.access.verify(s.auth);
    sub.account = { address: s.auth.account.toLowerCase(), until: Number(s.auth.expiry) };
    reply({ type: "subscribed", channel: "account", account: s.auth.account, until: Number(s.auth.expiry) });
    for (const o of engine
      .ordersOf(s.auth.account, 100)
      .filter((o) => o.status === "accepted" || o.status === "submitted"))
      send(socket, { type: "order", order: orderView(o, engine.assets) });
  }
}
