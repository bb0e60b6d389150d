import { EventEmitter } from "node:events";
import type { Address } from "viem";
import type { Config, Deployment } from "../config/schema.js";
import type { PairAssets } from "../domain/assets.js";
import type { FlowModel } from "../flow/model.js";
import { Inventory } from "../inventory/inventory.js";
import type { Logger } from "../log.js";
import type { Market } from "../market/market.js";
import { ReferencePrice } from "../market/reference.js";
import type { PairUnits } from "../pricing/optionPricer.js";
import { VolSurface } from "../pricing/volSurface.js";
import { CommitmentBook } from "../risk/commitments.js";
import type { KillSwitch } from "../risk/killSwitch.js";
import { ReservationBook } from "../risk/reservations.js";
import { RiskLimits } from "../risk/riskLimits.js";
import { FlowGuard } from "../router/flowGuard.js";
import { ToxicityModel } from "../router/toxicity.js";
import type { Store } from "../store/db.js";

/** The pair as the chain has it, read once before the engine is built. */
export interface Pair {
  assets: PairAssets;
  /** The settlement's protocol fee on the internal premium, and who receives it. */
  fee: { bps: number; recipient: Address };
}

/** The decimals of the pair's assets, as the pricer takes them. */
export function unitsOf(pair: Pair): PairUnits {
  return { underlyingDecimals: pair.assets.underlying.decimals, quoteDecimals: pair.assets.quote.decimals };
}

/** What the solver holds and has promised, and what guards it: the state every step reads and moves. */
export interface Book {
  readonly inventory: Inventory;
  /** Firm quotes' claims on the book's headroom, until filled or expired. */
  readonly reservations: ReservationBook;
  /** Firm quotes' claims on each requester's balances, until filled or expired. */
  readonly commitments: CommitmentBook;
  readonly surface: VolSurface;
  readonly toxicity: ToxicityModel;
  /** Segment markouts and the flow model: adverse selection priced from what a request is. */
  readonly flow: FlowGuard;
  readonly limits: RiskLimits;
}

/** A fresh book for `pair`, from the config's surface, toxicity and flow parameters and limits. */
export function createBook(config: Config, pair: Pair, log: Logger, model: FlowModel | null = null): Book {
  return {
    inventory: new Inventory(unitsOf(pair)),
    reservations: new ReservationBook(),
    commitments: new CommitmentBook(),
    surface: new VolSurface(config.pricing.vol, config.pricing.volByExpiry),
    toxicity: new ToxicityModel(config.toxicity),
    flow: new FlowGuard(config.flow, model),
    limits: new RiskLimits(config.limits, log),
  };
}

/**
 * The engine's world: config, deployment, the subsystems built outside it (store, market, kill switch) and
 * the book. Every step of a quote, an order or a fill takes this one object.
 */
export interface EngineContext {
  readonly config: Config;
  readonly deployment: Deployment;
  readonly chainId: number;
  readonly solver: Address;
  readonly pair: Pair;
  readonly units: PairUnits;
  readonly store: Store;
  readonly log: Logger;
  readonly market: Market;
  readonly killSwitch: KillSwitch;
  readonly book: Book;
  /** The solver's spot (oracle, pool or feed) and the oracle's and the pool's distance from it. */
  readonly reference: ReferencePrice;
  /** "order" (an OrderRecord on each status change), "fill", "failed", "reverted", "keeper", "flow" (each assessment). */
  readonly events: EventEmitter;
}

/** Puts the context together; `book` defaults to a fresh one. */
export function createContext(
  parts: Omit<EngineContext, "units" | "events" | "book" | "reference"> & {
    book?: Book;
    reference?: ReferencePrice;
  },
): EngineContext {
  const events = new EventEmitter();
  events.setMaxListeners(1_000);
  return {
    ...parts,
    units: unitsOf(parts.pair),
    book: parts.book ?? createBook(parts.config, parts.pair, parts.log),
    reference: parts.reference ?? new ReferencePrice(parts.config.reference),
    events,
  };
}
