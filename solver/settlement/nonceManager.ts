import type { Address, PublicClient } from "viem";

/**
 * Nonces for the solver's key: read once from the chain (pending), then handed out locally so that a
 * batch can be sent without waiting for the previous one. After a failed send the manager re-reads.
 */
export class NonceManager {
  #next: number | undefined;

  constructor(
    readonly publicClient: PublicClient,
    readonly address: Address,
  ) {}

  async next(): Promise<number> {
    this.#next ??= await this.publicClient.getTransactionCount({ address: this.address, blockTag: "pending" });
    return this.#next++;
  }

  /** Forgets the local count; the next call re-reads the chain. */
  reset(): void {
    this.#next = undefined;
  }
}
