import type { Address, Hex, TransactionReceipt } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { recoverDigestSigner } from "../../solver/chain/ecdsa.js";
import type { ChainReads } from "../../solver/chain/solverChain.js";
import { type ConfigInput, ConfigSchema, type Deployment } from "../../solver/config/schema.js";
import { encodeSeriesId, type SeriesTerms } from "../../solver/domain/seriesId.js";
import { createContext, type EngineContext } from "../../solver/engine/context.js";
import { Engine } from "../../solver/engine/engine.js";
import { FillBook } from "../../solver/engine/fillBook.js";
import { PnlTracker } from "../../solver/engine/pnl.js";
import type { OrderSubmitter } from "../../solver/engine/ports.js";
import { quoteSigner } from "../../solver/engine/quote/sign.js";
import { ChainError, ErrorCode } from "../../solver/errors.js";
import { silentLogger } from "../../solver/log.js";
import type { AccountReads, Market } from "../../solver/market/market.js";
import type { Spot, VaultQuote } from "../../solver/market/marketData.js";
import { KillSwitch } from "../../solver/risk/killSwitch.js";
import { STRATEGIES, type StrategyName } from "../../solver/router/strategies.js";
import { Store } from "../../solver/store/db.js";
import type { OrderRecord } from "../../solver/types.js";

export const SOLVER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" as Hex;
export const ETH = 10n ** 18n;
export const USDC = 10n ** 6n;
const NOW = 1_800_000_000;
const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;

export const DEPLOYMENT: Deployment = {
  network: "fake",
  chainId: 31337,
  block: 0,
  pairId: 1,
  contracts: {
    weth: addr(0xe1),
    usdc: addr(0xe2),
    oracle: addr(0xe3),
    ledger: addr(0xe4),
    callVault: addr(0xe5),
    putVault: addr(0xe6),
    settlement: addr(0xe7),
  },
};

/** A series of the fake pair: strike in USD, expiry in days from the fake chain's time. */
export function series(strikeUsd: number, days: number, isCall: boolean): bigint {
  const terms: SeriesTerms = { pairId: 1, strike: BigInt(strikeUsd) * USDC, expiry: NOW + days * 86_400, isCall };
  return encodeSeriesId(terms);
}

/**
 * The market as a test sets it: time, the oracle's spot, series, the vault's price per option (in the
 * premium asset's base units, before a 2% fee each way) and accounts. `down` makes every read fail as an
 * unreachable node does.
 */
export class FakeMarket implements Market {
  now = NOW;
  spotUsd = 3000;
  down = false;
  readonly series = new Map<bigint, SeriesTerms>();
  /** The vault's mid per option, premium asset base units, per series. */
  readonly vaultMid = new Map<bigint, bigint>();
  readonly balances = new Map<string, bigint>();
  readonly allowances = new Map<string, bigint>();
  readonly operators = new Set<string>();
  readonly writers = new Set<string>();
  refreshes = 0;

  add(id: bigint, terms: SeriesTerms, vaultMidPerOption: bigint): void {
    this.series.set(id, terms);
    this.vaultMid.set(id, vaultMidPerOption);
  }

  #up<T>(value: T): Promise<T> {
    if (this.down) return Promise.reject(new ChainError(ErrorCode.ChainUnavailable, "node down"));
    return Promise.resolve(value);
  }
  blockNumber = () => this.#up(100n);
  chainTime = () => this.#up(this.now);
  nextBlockTime = () => this.#up(this.now + 1);
  refresh = () => {
    this.refreshes++;
    return this.#up(false);
  };
  spot = () => this.#up(this.#spot());
  spotAt = () => this.#up(this.#spot());
  lastSpot = () => this.#spot();
  lastChainTime = () => this.now;
  listSeries = () => this.#up(new Map(this.series));
  settlementPrices = () => this.#up(new Map<bigint, bigint>());

  vaultQuote(seriesId: bigint, amount: bigint, isBuy: boolean): Promise<VaultQuote> {
    const mid = this.vaultMid.get(seriesId);
    if (mid === undefined) return Promise.reject(new ChainError(ErrorCode.ContractReverted, "UnknownSeries"));
    const perOption = isBuy ? (mid * 102n) / 100n : (mid * 98n) / 100n;
    const premium = (perOption * amount) / ETH;
    return this.#up({ premium, fee: 0n, modelValue: mid, spot: 0n, vol: 0n, delta: 0n, refusal: null, refused: false });
  }

  readonly accounts: AccountReads = {
    erc20Balance: (token, owner) => this.#up(this.balances.get(`${token}:${owner}`.toLowerCase()) ?? 0n),
    allowance: (token, owner, spender) =>
      this.#up(this.allowances.get(`${token}:${owner}:${spender}`.toLowerCase()) ?? 0n),
    optionBalance: (owner, id) => this.#up(this.balances.get(`${id}:${owner}`.toLowerCase()) ?? 0n),
    operatorApproved: (owner) => this.#up(this.operators.has(owner.toLowerCase())),
    writeApproved: (owner) => this.#up(this.writers.has(owner.toLowerCase())),
  };

  /** Gives `owner` what every side needs: both assets, allowances to the settlement and ledger, approvals. */
  fund(owner: Address): void {
    const c = DEPLOYMENT.contracts;
    for (const token of [c.weth, c.usdc]) {
      this.balances.set(`${token}:${owner}`.toLowerCase(), 10n ** 30n);
      for (const spender of [c.settlement, c.ledger])
        this.allowances.set(`${token}:${owner}:${spender}`.toLowerCase(), 10n ** 30n);
    }
    this.operators.add(owner.toLowerCase());
    this.writers.add(owner.toLowerCase());
  }

  #spot(): Spot {
    const answer = BigInt(Math.round(this.spotUsd * 1e8));
    return { price: this.spotUsd, answer, decimals: 8, updatedAt: this.now - 10, roundId: 1n };
  }
}

/** Chain reads without a chain: signatures are checked by recovery (EOAs only), nonces by a set. */
export class FakeChain implements ChainReads {
  readonly usedNonces = new Set<string>();
  latestBlock = async () => 100n;
  block = async () => ({ timestamp: NOW, hash: `0x${"ab".repeat(32)}` as Hex });
  nonceUsed = async (user: Address, nonce: bigint) => this.usedNonces.has(`${user.toLowerCase()}:${nonce}`);
  signatureValid = async (signer: Address, digest: Hex, signature: Hex) =>
    (await recoverDigestSigner(digest, signature).catch(() => null))?.toLowerCase() === signer.toLowerCase();
  /** What the solver holds on chain: no options, 1,000 WETH and 10M USDC. */
  holdings = async () => ({ positions: [], cash: { weth: 1_000n * ETH, usdc: 10_000_000n * USDC } });
  filledLogs = async () => [];
  receipt = async () => null;
  knowsTransaction = async () => false;
  pair = async () => PAIR;
}

const PAIR = {
  assets: {
    underlying: { address: DEPLOYMENT.contracts.weth, symbol: "WETH", decimals: 18 },
    quote: { address: DEPLOYMENT.contracts.usdc, symbol: "USDC", decimals: 6 },
  },
  fee: { bps: 0, recipient: addr(0xfe) },
};

/** The submitter's queue, with nothing sent. */
export class FakeSubmitter implements OrderSubmitter {
  readonly queue: OrderRecord[] = [];
  get pending() {
    return this.queue.length;
  }
  enqueue = (o: OrderRecord) => void this.queue.push(o);
  withdraw = (hash: Hex) => {
    const i = this.queue.findIndex((o) => o.orderHash === hash);
    if (i >= 0) this.queue.splice(i, 1);
    return i >= 0;
  };
  flush = async () => {};
  report = async () => {};
  follow = async () => {};
}

export interface FakeEngine {
  engine: Engine;
  ctx: EngineContext;
  market: FakeMarket;
  chain: FakeChain;
  submitter: FakeSubmitter;
  fills: FillBook;
}

/** An engine on fakes: no chain, an in-memory store; `init` reads the fake chain's holdings into the book. */
export function fakeEngine(opts: { config?: Partial<ConfigInput>; strategy?: StrategyName } = {}): FakeEngine {
  const config = ConfigSchema.parse({ solverKey: SOLVER_KEY, ...opts.config });
  const store = new Store(":memory:");
  const log = silentLogger();
  const market = new FakeMarket();
  const chain = new FakeChain();
  const submitter = new FakeSubmitter();
  const solver = privateKeyToAccount(SOLVER_KEY).address;
  const ctx = createContext({
    config,
    deployment: DEPLOYMENT,
    chainId: DEPLOYMENT.chainId,
    solver,
    pair: PAIR,
    store,
    log,
    market,
    killSwitch: new KillSwitch(config.killSwitch, store, log),
  });
  const fills = new FillBook(ctx, chain);
  const engine = new Engine({
    ctx,
    chain,
    submitter,
    keeper: { run: async () => {} },
    fills,
    signer: quoteSigner({ chainId: ctx.chainId, settlement: DEPLOYMENT.contracts.settlement, key: SOLVER_KEY, solver }),
    pnl: new PnlTracker(store),
    capital: { skipTo: () => {}, scan: async () => [] },
    ...(opts.strategy ? { strategy: STRATEGIES[opts.strategy] } : {}),
  });
  return { engine, ctx, market, chain, submitter, fills };
}

/** A mined settlement receipt with no logs, for booking a fill by hand. */
export function fakeReceipt(): TransactionReceipt {
  return {
    transactionHash: `0x${"cd".repeat(32)}`,
    blockNumber: 101n,
    gasUsed: 100_000n,
    effectiveGasPrice: 1_000_000_000n,
    logs: [],
  } as unknown as TransactionReceipt;
}
