import type { Abi, Hex, TransactionReceipt } from "viem";
import type { Clients } from "../chain/clients.js";
import { NonceManager } from "./nonceManager.js";

/** A contract call the solver sends. */
export interface SolverCall {
  address: Hex;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  gas?: bigint;
}

/**
 * The one way the solver's key sends transactions: settlement fills and keeper actions share its nonces,
 * so they never collide. Sending is not retried here; callers decide what a failure means.
 */
export class TxSender {
  readonly #nonces: NonceManager;

  constructor(readonly clients: Clients) {
    this.#nonces = new NonceManager(clients.publicClient, clients.account.address);
  }

  /** Sends `call` with the next local nonce; on failure the nonce count is re-read before the next send. */
  async send(call: SolverCall): Promise<Hex> {
    const nonce = await this.#nonces.next();
    try {
      return await this.clients.walletClient.writeContract({ ...call, nonce } as never);
    } catch (error) {
      this.#nonces.reset();
      throw error;
    }
  }

  /** Waits for a sent transaction's receipt. */
  receipt(hash: Hex, timeoutMs = 120_000): Promise<TransactionReceipt> {
    return this.clients.publicClient.waitForTransactionReceipt({ hash, timeout: timeoutMs });
  }
}
