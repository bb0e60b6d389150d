import type { Hex } from "viem";
import type { ChainReads } from "../chain/solverChain.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { ChainError, ConfigError, ErrorCode } from "../errors.js";
import { Inventory } from "../inventory/inventory.js";
import { listFills } from "../store/fills.js";
import { listOrders } from "../store/orders.js";
import { loadReservations } from "../store/quotes.js";
import type { OrderRecord } from "../types.js";
import type { EngineContext } from "./context.js";
import type { FillBook } from "./fillBook.js";
import type { PnlTracker } from "./pnl.js";
import type { CapitalFlows, Hedging, OrderSubmitter } from "./ports.js";
import { fillSegment } from "./quote/assess.js";
import { commitmentOf } from "./quote/commitment.js";
import { quoteById, quotesWhere } from "./records.js";

/** What start-up recovery works with. */
export interface RecoveryDeps {
  ctx: EngineContext;
  chain: ChainReads;
  submitter: OrderSubmitter;
  fills: FillBook;
  pnl: PnlTracker;
  capital: CapitalFlows;
  hedger?: Hedging | undefined;
}

/**
 * Start-up: checks the database belongs to this chain, rebuilds the book from chain balances, reloads
 * open reservations and commitments, replays markouts into the toxicity model, and reconciles every
 * unfinished order with the chain (Filled events and nonces), so that no order is filled twice or forgotten.
 */
export async function recover(d: RecoveryDeps): Promise<void> {
  await checkStoreChain(d.ctx, d.chain);
  // One block for the book and the reconciliation: fills up to it are in the balances read at it.
  const block = await d.chain.latestBlock();
  await syncInventory(d.ctx, d.chain, undefined, block);
  // Swaps sent before a stop: their balances are in the cash just read, so only their records move.
  await d.hedger?.reconcile({ adjustCash: false });
  const now = await d.ctx.market.chainTime();
  restoreQuotes(d.ctx, now);
  const firstStart = d.pnl.start({
    block: Number(block),
    cash: { ...d.ctx.book.inventory.cash },
    positions: d.ctx.book.inventory.positions().map(({ seriesId, longs, shorts }) => ({ seriesId, longs, shorts })),
  });
  // Deposits and withdrawals up to the book's block are in its balances; record those since the last
  // start (for PnL's baseline), or, on the first start, none: the starting holdings hold them.
  if (firstStart) d.capital.skipTo(block);
  else await d.capital.scan(block);
  await reconcile(d, block);
}

/** Open reservations and commitments of still-valid quotes, and the toxicity model's markouts. */
function restoreQuotes(ctx: EngineContext, now: number): void {
  const { book, store } = ctx;
  for (const r of loadReservations(store)) if (r.expiresAt >= now) book.reservations.add(r);
  for (const q of quotesWhere(ctx, { status: "open", limit: 100_000 })) {
    if (q.validUntil < now) continue;
    book.commitments.add({
      ...commitmentOf(ctx, q, decodeSeriesId(q.seriesId), q.limitPremium, q.createdAt),
      quoteId: q.quoteId,
    });
  }
  for (const f of [...listFills(store, 100_000)].reverse()) {
    if (f.markoutBps === null || f.internalAmount === 0n) continue;
    book.toxicity.record(f.user, f.markoutBps);
    book.flow.record(fillSegment(ctx, f), f.markoutBps);
  }
}

/** The solver's positions and cash as the chain has them at `block` (default: latest). */
export async function readBook(
  ctx: EngineContext,
  chain: ChainReads,
  block?: bigint,
  seriesIds?: readonly bigint[],
): Promise<Inventory> {
  const ids = seriesIds ?? [...(await ctx.market.listSeries()).keys()];
  const held = await chain.holdings(ctx.solver, ids, block);
  const book = new Inventory(ctx.units);
  for (const p of held.positions) book.setPosition(p.seriesId, p.longs, p.shorts);
  book.cash = held.cash;
  return book;
}

/** Rebuilds positions and cash from chain balances (the truth) at `block` (default: latest). */
export async function syncInventory(
  ctx: EngineContext,
  chain: ChainReads,
  seriesIds?: readonly bigint[],
  block?: bigint,
): Promise<void> {
  const read = await readBook(ctx, chain, block, seriesIds);
  const { inventory } = ctx.book;
  for (const p of read.positions()) inventory.setPosition(p.seriesId, p.longs, p.shorts);
  for (const id of seriesIds ?? []) {
    const p = read.position(id);
    inventory.setPosition(id, p.longs, p.shorts);
  }
  inventory.cash = read.cash;
}

/**
 * The database belongs to one deployment on one chain. Its identity is the chain id, the settlement
 * address and the hash of the deployment's first block (after `deployment.block`): a devnet restarted
 * from scratch reuses the same addresses, but not the same block hashes. A database from another chain
 * would hold fills and orders that never happened there, so the solver refuses to start on it.
 */
async function checkStoreChain(ctx: EngineContext, chain: ChainReads): Promise<void> {
  const { deployment, store } = ctx;
  let anchor: string;
  try {
    // `block` is where the deployment starts (often the block before its first transaction, and on a
    // fresh devnet the genesis, which is the same on every restart): anchor on the next block if it exists.
    const latest = await chain.latestBlock();
    const at = BigInt(deployment.block) < latest ? BigInt(deployment.block) + 1n : BigInt(deployment.block);
    const { hash } = await chain.block(at);
    anchor = `${deployment.chainId}:${deployment.contracts.settlement.toLowerCase()}:${hash}`;
  } catch (cause) {
    throw new ChainError(ErrorCode.ChainUnavailable, "could not read the deployment's block", { cause });
  }
  const stored = store.meta("chain");
  if (stored === undefined) store.setMeta("chain", anchor);
  else if (stored !== anchor) {
    throw new ConfigError(
      ErrorCode.StoreMismatch,
      `the database ${ctx.config.dbPath} belongs to another chain or deployment; move it away or set DB_PATH`,
      { details: { stored, current: anchor } },
    );
  }
}

/**
 * Resolves every order that was accepted or submitted but not settled in this process's memory, against
 * the chain at `block` (the block the book was read at): a Filled event up to it is recorded without
 * touching the book, which already holds it; a settlement transaction that landed later, or is still
 * pending, is followed to its receipt; an order whose nonce is spent without our fill failed (cancelled
 * or filled elsewhere); the rest are resubmitted while their quote is valid, and failed otherwise.
 */
export async function reconcile(d: RecoveryDeps, block: bigint): Promise<void> {
  const { ctx, chain } = d;
  const logs = await chain.filledLogs(ctx.solver, block);
  const byHash = new Map(logs.map((l) => [l.orderHash.toLowerCase(), l]));
  const next = await ctx.market.nextBlockTime({ fresh: true });
  for (const order of listOrders(ctx.store, ["accepted", "submitted"])) {
    const filled = byHash.get(order.orderHash.toLowerCase());
    const receipt = filled ? await chain.receipt(filled.transactionHash) : null;
    if (filled && receipt) {
      await d.fills.filled(order, filled, receipt, { booked: true });
      continue;
    }
    if (order.status === "submitted" && order.txHash && (await follow(d, order, order.txHash, block))) continue;
    await resubmitOrFail(d, order, block, next);
  }
}

/** An unfinished order with no fill: failed if its nonce is spent or its quote ran out, else sent again. */
async function resubmitOrFail(d: RecoveryDeps, order: OrderRecord, block: bigint, next: number): Promise<void> {
  const quote = quoteById(d.ctx, order.quoteId);
  if (await d.chain.nonceUsed(order.intent.user, order.intent.nonce, block))
    d.fills.failed(order, ErrorCode.NonceUsed, "the nonce was used without a fill by this solver (cancelled)");
  else if (!quote || quote.validUntil < next || order.intent.deadline < BigInt(next))
    d.fills.failed(order, ErrorCode.QuoteExpired, "the quote expired while the solver was down");
  else d.submitter.enqueue(order);
}

/**
 * A submitted order's transaction that is not settled as of `block`: mined after it, or still pending, it
 * is followed to its receipt (true); dropped, or mined by then without filling this order, it is not (false).
 */
async function follow(d: RecoveryDeps, order: OrderRecord, txHash: Hex, block: bigint): Promise<boolean> {
  const ready = [{ order, params: order.params }];
  const receipt = await d.chain.receipt(txHash);
  if (receipt) {
    if (receipt.blockNumber <= block) return false;
    await d.submitter.report(ready, receipt);
    return true;
  }
  if (!(await d.chain.knowsTransaction(txHash))) return false;
  void d.submitter.follow(ready, txHash);
  return true;
}
