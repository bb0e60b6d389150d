import type { Address, Hex } from "viem";
import { erc20Abi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import type { Deployment } from "../config/schema.js";
import type { Store } from "../store/db.js";

/** Money the operator moved in or out of the solver's account, outside trading: not PnL. */
export interface CapitalFlow {
  txHash: Hex;
  logIndex: number;
  block: number;
  asset: "weth" | "usdc";
  /** Signed: positive into the solver's account. */
  amount: bigint;
}

const SCANNED = "capital_scanned_to";

/**
 * Finds the operator's deposits to and withdrawals from the solver's account: ERC-20 transfers of WETH or
 * USDC to or from it in transactions that call the token itself (a transfer, a faucet mint), as opposed to
 * the settlement, the ledger or a vault, whose transfers are fills and payouts. Each is recorded once; the
 * book's cash follows it, and PnL counts it as capital, not as profit.
 */
export class CapitalFlowScanner {
  #scannedTo: bigint;

  constructor(
    readonly clients: Clients,
    readonly deployment: Deployment,
    readonly store: Store,
    readonly solver: Address,
  ) {
    this.#scannedTo = BigInt(store.meta(SCANNED) ?? deployment.block);
  }

  /** Starts scanning after `block` without recording what came before (the first start's holdings hold it). */
  skipTo(block: bigint): void {
    this.#scannedTo = block;
    this.store.setMeta(SCANNED, block.toString());
  }

  /** Records flows up to `toBlock`; returns the new ones (which the caller applies to the book if live). */
  async scan(toBlock: bigint): Promise<CapitalFlow[]> {
    if (toBlock <= this.#scannedTo) return [];
    const fromBlock = this.#scannedTo + 1n;
    const c = this.deployment.contracts;
    const tokens = [
      ["weth", c.weth],
      ["usdc", c.usdc],
    ] as const;
    const found: CapitalFlow[] = [];
    const calledToken = new Map<Hex, boolean>();
    for (const [asset, address] of tokens) {
      for (const direction of ["to", "from"] as const) {
        const logs = await this.clients.publicClient.getContractEvents({
          address,
          abi: erc20Abi,
          eventName: "Transfer",
          args: { [direction]: this.solver },
          fromBlock,
          toBlock,
        });
        for (const log of logs) {
          const { from, to, value } = log.args as { from: Address; to: Address; value: bigint };
          if (from.toLowerCase() === to.toLowerCase()) continue;
          let direct = calledToken.get(log.transactionHash);
          if (direct === undefined) {
            const tx = await this.clients.publicClient.getTransaction({ hash: log.transactionHash });
            direct = tx.to?.toLowerCase() === c.weth.toLowerCase() || tx.to?.toLowerCase() === c.usdc.toLowerCase();
            calledToken.set(log.transactionHash, direct);
          }
          if (!direct) continue;
          found.push({
            txHash: log.transactionHash,
            logIndex: log.logIndex,
            block: Number(log.blockNumber),
            asset,
            amount: direction === "to" ? value : -value,
          });
        }
      }
    }
    const fresh = this.store.transaction(() => {
      const inserted = found.filter((f) => insertFlow(this.store, f));
      this.store.setMeta(SCANNED, toBlock.toString());
      return inserted;
    });
    this.#scannedTo = toBlock;
    return fresh;
  }
}

function insertFlow(store: Store, f: CapitalFlow): boolean {
  const r = store
    .prepare("INSERT OR IGNORE INTO capital_flows (tx_hash, log_index, block, asset, amount) VALUES (?, ?, ?, ?, ?)")
    .run(f.txHash, f.logIndex, f.block, f.asset, f.amount.toString());
  return Number(r.changes) > 0;
}

/** The net capital moved into the solver's account up to `block`, per asset. */
export function capitalUpTo(store: Store, block: number = Number.MAX_SAFE_INTEGER): { weth: bigint; usdc: bigint } {
  const rows = store.prepare("SELECT asset, amount FROM capital_flows WHERE block <= ?").all(block) as Array<{
    asset: string;
    amount: string;
  }>;
  const out = { weth: 0n, usdc: 0n };
  for (const r of rows) out[r.asset as "weth" | "usdc"] += BigInt(r.amount);
  return out;
}
