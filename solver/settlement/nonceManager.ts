import type { Address, PublicClient } from "viem";

/**
 * Nonces for the solver's key: read once from the chain (pending), then handed out locally so that a
 * batch can be sent without waiting for the previous one. After a failed send the manager re-reads.
 * Concurrent callers share one read, so no two of them get the same nonce.
 */
export class NonceManager {
  #next: Promise<number> | undefined;

  constructor(
    readonly publicClient: PublicClient,
    readonly address: Address,
  ) {}

  next(): Promise<number> {
    const read = this.#next ?? this.publicClient.getTransactionCount({ address: this.address, blockTag: "pending" });
    const mine = read.then((n) => n);
    this.#next = read.then((n) => n + 1);
    this.#next.catch(() => this.reset());
    return mine;
  }

  /** Forgets the local count; the next call re-reads the chain. */
  reset(): void {
    this.#next = undefined;
  }
}
