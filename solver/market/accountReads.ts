import type { Abi, Address } from "viem";
import { erc20Abi, optionLedgerAbi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import type { AccountReads } from "./market.js";

type AtLatest = <T>(key: string, load: (block: bigint) => Promise<T>, account: Address) => Promise<T>;

/**
 * Account reads on the chain, each cached for the latest block under a key that names the question, and
 * followed by its owner's logs: an allowance changes only by the owner's Approval or a transfer from the
 * owner, a balance by a transfer to or from it, an operator approval by the owner's own call.
 */
export function chainAccountReads(clients: Clients, ledger: Address, atLatest: AtLatest): AccountReads {
  const read =
    <T>(abi: Abi, functionName: string) =>
    (key: string, address: Address, args: readonly [Address, ...unknown[]]) =>
      atLatest(
        `${functionName}:${key}`,
        (blockNumber) =>
          clients.publicClient.readContract({ address, abi, functionName, args, blockNumber }) as Promise<T>,
        args[0],
      );
  const erc20 = <T>(fn: string) => read<T>(erc20Abi, fn);
  const ledgerRead = <T>(fn: string) => read<T>(optionLedgerAbi, fn);
  return {
    erc20Balance: (token, owner) => erc20<bigint>("balanceOf")(`${token}:${owner}`, token, [owner]),
    allowance: (token, owner, spender) =>
      erc20<bigint>("allowance")(`${token}:${owner}:${spender}`, token, [owner, spender]),
    optionBalance: (owner, seriesId) =>
      ledgerRead<bigint>("balanceOf")(`ledger:${owner}:${seriesId}`, ledger, [owner, seriesId]),
    operatorApproved: (owner, operator) =>
      ledgerRead<boolean>("isApprovedForAll")(`${owner}:${operator}`, ledger, [owner, operator]),
    writeApproved: (owner, operator) =>
      ledgerRead<boolean>("isWriteApproved")(`${owner}:${operator}`, ledger, [owner, operator]),
  };
}
