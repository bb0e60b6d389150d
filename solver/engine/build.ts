import type { Clients } from "../chain/clients.js";
import { SolverChain } from "../chain/solverChain.js";
import type { Config, Deployment } from "../config/schema.js";
import { ExpiryKeeper } from "../keeper/expiryKeeper.js";
import type { Logger } from "../log.js";
import { MarketData } from "../market/marketData.js";
import { KillSwitch } from "../risk/killSwitch.js";
import type { RoutingStrategy } from "../router/strategies.js";
import { Submitter } from "../settlement/submitter.js";
import { TxSender } from "../settlement/txSender.js";
import type { Store } from "../store/db.js";
import { recipientsOf } from "../store/fills.js";
import { CapitalFlowScanner } from "./capital.js";
import { createContext, type EngineContext } from "./context.js";
import { Engine } from "./engine.js";
import { FillBook } from "./fillBook.js";
import { PnlTracker } from "./pnl.js";
import { quoteSigner } from "./quote/sign.js";

export interface EngineOptions {
  config: Config;
  deployment: Deployment;
  clients: Clients;
  store: Store;
  log: Logger;
  /** The routing policy; the simulation also runs the two baselines. */
  strategy?: RoutingStrategy;
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
  const ctx = createContext({
    config,
    deployment,
    chainId: clients.chain.id,
    solver,
    pair: await chain.pair(),
    store,
    log,
    market,
    killSwitch,
  });
  const fills = new FillBook(ctx, chain);
  const sender = new TxSender(clients);
  const submitter = new Submitter(
    clients,
    deployment,
    market,
    sender,
    config.submitter,
    fills.submitterHooks(),
    log.child({ component: "submitter" }),
  );
  const keeper = buildKeeper(ctx, fills, sender, market);
  return new Engine({
    ctx,
    chain,
    submitter,
    keeper,
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
  });
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
