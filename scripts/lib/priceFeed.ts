import { createServer, type Server } from "node:http";

/**
 * The devnet's external reference: an HTTP feed of the "true" price the devnet's market follows
 * (`GET /price` → `{ "price": 3000, "timestamp": <unix seconds> }`), on loopback. The solver reads it
 * with `reference.source: "feed"`; the oracle and the pool lag it.
 */
export class PriceFeed {
  price: number;
  readonly #server: Server;

  private constructor(price: number, server: Server) {
    this.price = price;
    this.#server = server;
  }

  static async start(price: number, port = 0): Promise<PriceFeed> {
    let feed: PriceFeed | null = null;
    const server = createServer((req, res) => {
      if (req.method !== "GET" || req.url !== "/price") {
        res.writeHead(404).end();
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ price: feed!.price, timestamp: Math.floor(Date.now() / 1000) }));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    feed = new PriceFeed(price, server);
    return feed;
  }

  get url(): string {
    const address = this.#server.address();
    return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/price`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
