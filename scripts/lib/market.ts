import { aggregatorAbi } from "../../solver/chain/abis.js";
import type { Deployment } from "../../solver/config/schema.js";
import { arbTo } from "./arb.js";
import { chainNow, devnetClients, pushPrice } from "./keeper.js";
import type { PriceFeed } from "./priceFeed.js";
import { Random } from "./sim/random.js";

/** How the devnet's market moves while it keeps running. */
export interface MarketParams {
  /** Annual vol of the true price's random walk. */
  vol: number;
  /** Wall time between two moves. */
  stepMs: number;
  /** The oracle publishes a round when the true price strays this far from its last one, or after the heartbeat. */
  deviationBps: number;
  heartbeatSeconds: number;
}

export const DEVNET_MARKET: MarketParams = { vol: 0.8, stepMs: 5_000, deviationBps: 50, heartbeatSeconds: 600 };

/**
 * The devnet's market after the demo: the true price walks (seeded, so two devnets walk alike), the
 * reference feed shows it, the Chainlink-style oracle follows on its deviation threshold or heartbeat, and
 * the arbitrageur trades the pool to it. The solver sees the three as it would on a real chain.
 */
export class DevnetMarket {
  #timer: NodeJS.Timeout | null = null;
  #busy = false;
  readonly #random = new Random(20_261_201);

  constructor(
    readonly feed: PriceFeed,
    readonly deployment: Deployment,
    readonly rpcUrl: string,
    readonly params: MarketParams = DEVNET_MARKET,
  ) {}

  /** One move: the walk's next price, then the oracle's rule and the arbitrageur. */
  async step(): Promise<void> {
    const dt = this.params.stepMs / 1000 / (365 * 86_400);
    const z = this.#random.normal();
    this.feed.price *= Math.exp(this.params.vol * Math.sqrt(dt) * z - 0.5 * this.params.vol ** 2 * dt);
    const admin = devnetClients(this.deployment, this.rpcUrl, 0);
    const [now, [, answer, , updatedAt]] = await Promise.all([
      chainNow(admin),
      admin.publicClient.readContract({
        address: this.deployment.contracts.oracle,
        abi: aggregatorAbi,
        functionName: "latestRoundData",
      }),
    ]);
    const gapBps = Math.abs(this.feed.price / (Number(answer) / 1e8) - 1) * 10_000;
    if (gapBps >= this.params.deviationBps || now - Number(updatedAt) >= this.params.heartbeatSeconds) {
      await pushPrice(admin, this.deployment, BigInt(Math.round(this.feed.price * 1e8)));
    } else {
      await arbTo(this.deployment, this.rpcUrl, this.feed.price);
    }
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      if (this.#busy) return;
      this.#busy = true;
      this.step()
        .catch((error: unknown) => process.stderr.write(`devnet market: ${String(error)}\n`))
        .finally(() => {
          this.#busy = false;
        });
    }, this.params.stepMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
