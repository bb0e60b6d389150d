import type { Hex } from "viem";
import { type Order, OrderJson, type SeriesList, SeriesList as SeriesListSchema } from "./schemas.js";

/** What a stream client is told. */
export interface StreamHandlers {
  onPrices?(prices: SeriesList): void;
  onOrder?(order: Order): void;
  /** A refusal of one message (bad subscription, missing or invalid Access proof); the stream stays open. */
  onError?(error: { code: string; message: string }): void;
  onOpen?(): void;
  /** The socket closed; `reconnecting` tells whether the client will try again. */
  onClose?(info: { code: number; reconnecting: boolean }): void;
}

type Subscription =
  | { channel: "prices" }
  | { channel: "orders"; orderHashes: Hex[] }
  | { channel: "account"; auth: { account: string; expiry: string; signature: Hex } };

/**
 * A client for WS /v1/stream that keeps its subscriptions across reconnects (exponential backoff, at most
 * `maxDelayMs` apart). Uses the platform's WebSocket: browsers, and Node 22.
 *
 * @example
 *   const stream = new StreamClient("http://127.0.0.1:8787", { onOrder: (o) => console.log(o.status) });
 *   stream.subscribe({ channel: "account", auth: await client.accessProof() });
 */
export class StreamClient {
  readonly #url: string;
  readonly #subs: Subscription[] = [];
  #socket: WebSocket | null = null;
  #closed = false;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    apiUrl: string,
    readonly handlers: StreamHandlers,
    readonly opts: { maxDelayMs?: number; WebSocketImpl?: typeof WebSocket } = {},
  ) {
    this.#url = `${apiUrl.replace(/^http/, "ws").replace(/\/+$/, "")}/v1/stream`;
    this.#connect();
  }

  /** Subscribes now (if connected) and after every reconnect. */
  subscribe(sub: Subscription): void {
    this.#subs.push(sub);
    this.#send({ type: "subscribe", ...sub });
  }

  unsubscribe(channel: Subscription["channel"]): void {
    for (let i = this.#subs.length - 1; i >= 0; i--) if (this.#subs[i]!.channel === channel) this.#subs.splice(i, 1);
    this.#send({ type: "unsubscribe", channel });
  }

  get connected(): boolean {
    return this.#socket?.readyState === 1;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#socket?.close(1000, "client closed");
  }

  #connect(): void {
    const Impl = this.opts.WebSocketImpl ?? globalThis.WebSocket;
    const socket = new Impl(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      for (const sub of this.#subs) this.#send({ type: "subscribe", ...sub });
      this.handlers.onOpen?.();
    };
    socket.onmessage = (event) => this.#receive(String(event.data));
    socket.onclose = (event) => {
      const reconnecting = !this.#closed;
      this.handlers.onClose?.({ code: event.code, reconnecting });
      if (!reconnecting) return;
      const delay = Math.min(this.opts.maxDelayMs ?? 10_000, 250 * 2 ** this.#attempt++);
      this.#timer = setTimeout(() => this.#connect(), delay);
    };
    // An error is followed by a close, which reconnects.
    socket.onerror = () => {};
  }

  #send(message: unknown): void {
    if (this.#socket?.readyState === 1) this.#socket.send(JSON.stringify(message));
  }

  #receive(text: string): void {
    let m: { type?: string; [k: string]: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (m.type === "prices") {
      const parsed = SeriesListSchema.safeParse(m);
      if (parsed.success) this.handlers.onPrices?.(parsed.data);
    } else if (m.type === "order") {
      const parsed = OrderJson.safeParse(m.order);
      if (parsed.success) this.handlers.onOrder?.(parsed.data);
    } else if (m.type === "error") {
      this.handlers.onError?.({ code: String(m.code), message: String(m.message) });
    }
  }
}
