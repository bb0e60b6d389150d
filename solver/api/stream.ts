import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { z } from "zod";
import type { Engine } from "../engine/engine.js";
import { indicativePrices } from "../engine/reports.js";
import type { Logger } from "../log.js";
import type { OrderRecord } from "../types.js";
import { address, bytes32 } from "./schemas.js";
import { orderView } from "./views.js";

/** Messages a client sends on the stream. */
const ClientMessage = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("subscribe"), channel: z.literal("prices") }),
  z.strictObject({
    type: z.literal("subscribe"),
    channel: z.literal("orders"),
    orderHashes: z.array(bytes32).max(100).optional(),
    requester: address.optional(),
  }),
  z.strictObject({ type: z.literal("unsubscribe"), channel: z.enum(["prices", "orders"]) }),
]);

interface Subscriber {
  prices: boolean;
  orders: Set<string>;
  requester: string | null;
}

/**
 * WebSocket /v1/stream: indicative two-sided prices per series (solver's and the AMM's) every
 * `streamIntervalMs`, and each order's status as it changes. Subscriptions are JSON messages; a bad message
 * gets an error message back and the connection stays open.
 */
export function attachStream(app: FastifyInstance, engine: Engine, log: Logger): void {
  const clients = new Map<WebSocket, Subscriber>();

  const send = (socket: WebSocket, message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  engine.events.on("order", (order: OrderRecord) => {
    for (const [socket, sub] of clients) {
      if (sub.orders.has(order.orderHash.toLowerCase()) || sub.requester === order.user.toLowerCase()) {
        send(socket, { type: "order", order: orderView(order) });
      }
    }
  });

  const timer = setInterval(async () => {
    if (![...clients.values()].some((c) => c.prices)) return;
    try {
      const prices = await indicativePrices(engine);
      for (const [socket, sub] of clients) if (sub.prices) send(socket, { type: "prices", ...prices });
    } catch (error) {
      log.warn({ err: error }, "could not price the stream");
    }
  }, engine.config.api.streamIntervalMs);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));

  app.get("/v1/stream", { websocket: true }, (socket) => {
    const sub: Subscriber = { prices: false, orders: new Set(), requester: null };
    clients.set(socket, sub);
    socket.on("close", () => clients.delete(socket));
    socket.on("message", async (raw) => {
      let parsed: z.infer<typeof ClientMessage>;
      try {
        parsed = ClientMessage.parse(JSON.parse(String(raw)));
      } catch {
        send(socket, {
          type: "error",
          code: "INVALID_MESSAGE",
          message: "expected a subscribe or unsubscribe message",
        });
        return;
      }
      if (parsed.type === "unsubscribe") {
        if (parsed.channel === "prices") sub.prices = false;
        else {
          sub.orders.clear();
          sub.requester = null;
        }
      } else if (parsed.channel === "prices") {
        sub.prices = true;
        indicativePrices(engine).then(
          (prices) => send(socket, { type: "prices", ...prices }),
          () => undefined,
        );
      } else {
        for (const h of parsed.orderHashes ?? []) {
          sub.orders.add(h);
          const known = engine.getOrder(h);
          if (known) send(socket, { type: "order", order: orderView(known) });
        }
        if (parsed.requester) sub.requester = parsed.requester.toLowerCase();
      }
      send(socket, { type: "subscribed", channel: parsed.channel });
    });
  });
}
