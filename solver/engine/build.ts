import { existsSync } from "node:fs";
import type { Clients } from "../chain/clients.js";
import { SolverChain } from "../chain/solverChain.js";
import type { Config, Deployment } from "../config/schema.js";
import { FlowModel } from "../flow/model.js";
import { ExpiryKeeper } from "../keeper/expiryKeeper.js";
import type { Logger } from "../log.js";
import { httpFeed } from "../market/feed.js";
import { MarketData } from "../market/marketData.js";
import { ReferencePrice, type ReferenceReading, type ReferenceSources } from "../market/reference.js";
import { KillSwitch } from "../risk/killSwitch.js";
import type { RoutingStrategy } from "../router/strategies.js";
import { Submitter } from "../settlement/submitter.js";
import { TxSender } from "../settlement/txSender.js";
import type { Store } from "../store/db.js";
import { recipientsOf } from "../store/fills.js";
import { UniswapVenue } from "../venue/uniswap.js";
import { CapitalFlowScanner } from "./capital.js";
import { createBook, createContext, type EngineContext } from "./context.js";
import { Engine } from "./engine.js";
import { FillBook } from "./fillBook.js";
import { Hedger } from "./hedge/hedger.js";
import { PnlTracker } from "./pnl.js";
import { quoteSigner } from "./quote/sign.js";
import { latestSnapshot } from "./snapshot.js";

export interface EngineOptions {
  config: Config;
  deployment: Deployment;
  clients: Clients;
  store: Store;
  log: Logger;
  /** The routing policy; the simulation also runs the two baselines. */
  strategy?: RoutingStrategy;
  /** The reference feed when it is not an HTTP URL (the simulation's true price path). */
  referenceFeed?: () => Promise<ReferenceReading>;
  /** The flow model; by default the config's `flow.modelFile` when it exists. */
  flowModel?: FlowModel | null;
}

/**
 * Builds the engine's subsystems on a chain (market data, chain reads, kill switch, submitter, keeper,
 * PnL tracker, capital scanner, quote signer) and the engine from them. Reads the pair and the fee first:
 * the book's units come from the chain, once, before anything is priced.
 */
export async function buildEngine(opts: EngineOptions): Promise<Engine> {
  const { config, deployment, clients, store, log } = opts;
  const solver = clients.account.address;
  const chain = new SolverChain(clients, deployment);
  const market = new MarketData(clients, deployment);
  const killSwitch = new KillSwitch(config.killSwitch, store, log);
  const venue = deployment.uniswap
    ? new UniswapVenue(clients.publicClient, deployment.uniswap, deployment.contracts)
    : null;
  const pair = await chain.pair();
  const ctx = createContext({
    config,
    deployment,
    chainId: clients.chain.id,
    solver,
    pair,
    store,
    log,
    market,
    killSwitch,
    book: createBook(config, pair, log, opts.flowModel === undefined ? loadFlowModel(config, log) : opts.flowModel),
    reference: new ReferencePrice(config.reference, referenceSources(opts, market, venue)),
  });
  const fills = new FillBook(ctx, chain);
  const sender = new TxSender(clients);
  let engine: Engine | null = null;
  // The hedger measures against the PnL's baseline, which the engine keeps: asked for once it exists.
  const hedger = venue ? buildHedger(ctx, venue, sender, () => engine?.baselineWeth() ?? 0n) : undefined;
  engine = new Engine({
    ctx,
    chain,
    submitter: buildSubmitter(ctx, clients, fills, sender, market),
    keeper: buildKeeper(ctx, fills, sender, market),
    fills,
    signer: quoteSigner({
      chainId: ctx.chainId,
      settlement: deployment.contracts.settlement,
      key: config.solverKey,
      solver,
    }),
    pnl: new PnlTracker(store),
    capital: new CapitalFlowScanner(clients, deployment, store, solver),
    ...(opts.strategy ? { strategy: opts.strategy } : {}),
    ...(hedger ? { hedger } : {}),
  });
  return engine;
}

/** The settlement submitter, booking its outcomes through the fill book. */
function buildSubmitter(ctx: EngineContext, clients: Clients, fills: FillBook, sender: TxSender, market: MarketData) {
  const { deployment, config, log } = ctx;
  const hooks = fills.submitterHooks();
  return new Submitter(
    clients,
    deployment,
    market,
    sender,
    config.submitter,
    hooks,
    log.child({ component: "submitter" }),
  );
}

/** The hedger on the deployment's spot venue, sending with the solver's nonces. */
function buildHedger(ctx: EngineContext, venue: UniswapVenue, sender: TxSender, baselineWeth: () => bigint) {
  return new Hedger({ ctx, venue, sender, snapshot: () => latestSnapshot(ctx), baselineWeth });
}

/** The reference's sources: the pool's mid (cached per block) and the feed (the given one, or HTTP). */
function referenceSources(opts: EngineOptions, market: MarketData, venue: UniswapVenue | null): ReferenceSources {
  const { reference } = opts.config;
  const pool = venue
    ? () => market.atLatest(`pool:${venue.deployment.pool}`, async (block) => (await venue.midPrice(block)).price)
    : undefined;
  const feed =
    opts.referenceFeed ??
    (reference.feedUrl ? httpFeed({ url: reference.feedUrl, maxAgeSeconds: reference.feedMaxAgeSeconds }) : undefined);
  return { ...(pool ? { pool } : {}), ...(feed ? { feed } : {}) };
}

/** The configured flow model, or none (logged) when its file is missing: segment markouts still price. */
function loadFlowModel(config: Config, log: Logger): FlowModel | null {
  if (!config.flow.enabled) return null;
  if (!existsSync(config.flow.modelFile)) {
    log.warn({ modelFile: config.flow.modelFile }, "no flow model file: pricing segment markouts only");
    return null;
  }
  return FlowModel.load(config.flow.modelFile);
}

/** The expiry keeper, booking its actions and the solver's payouts through the fill book. */
function buildKeeper(ctx: EngineContext, fills: FillBook, sender: TxSender, market: MarketData): ExpiryKeeper {
  return new ExpiryKeeper({
    market,
    deployment: ctx.deployment,
    sender,
    solver: ctx.solver,
    log: ctx.log.child({ component: "keeper" }),
    position: (id) => {
      const { longs, shorts } = ctx.book.inventory.position(id);
      return { longs, shorts };
    },
    clientsOf: (id) => recipientsOf(ctx.store, id),
    record: (a) => fills.keeperAction(a),
    onSolverPayout: (p) => fills.payout(p),
    exerciseForClients: ctx.config.keeper.exerciseForClients,
  });
}
