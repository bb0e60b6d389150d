import { signal } from "@preact/signals";
import type { Order, SeriesList } from "../../solver/sdk/index.js";
import { StreamClient } from "../../solver/sdk/index.js";

export const prices = signal<SeriesList | null>(null);
/** The connected account's orders by hash, as the stream last told them. */
export const orders = signal<ReadonlyMap<string, Order>>(new Map());
export const streamState = signal<"connecting" | "live" | "reconnecting">("connecting");
export const streamError = signal<{ code: string; message: string } | null>(null);

let client: StreamClient | null = null;

/** One stream per page: prices always; the account's orders once a wallet proves it owns the account. */
export function stream(): StreamClient {
  client ??= new StreamClient(location.origin, {
    onOpen: () => {
      streamState.value = "live";
    },
    onClose: ({ reconnecting }) => {
      streamState.value = reconnecting ? "reconnecting" : "connecting";
    },
    onPrices: (p) => {
      prices.value = p;
    },
    onOrder: (o) => {
      const next = new Map(orders.value);
      next.set(o.orderHash, o);
      orders.value = next;
    },
    onError: (e) => {
      streamError.value = e;
    },
  });
  return client;
}

/** Follows an order by hash (for an order the account channel may not have yet). */
export function followOrder(orderHash: `0x${string}`): void {
  stream().subscribe({ channel: "orders", orderHashes: [orderHash] });
}

export function putOrder(o: Order): void {
  const next = new Map(orders.value);
  next.set(o.orderHash, o);
  orders.value = next;
}
