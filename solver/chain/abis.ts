import type { Abi } from "viem";
import {
  aggregatorAbi,
  erc20Abi,
  optionLedgerAbi,
  optionSettlementAbi,
  optionVaultAbi,
  walletAbi,
} from "../abi/generated.js";

export { aggregatorAbi, erc20Abi, optionLedgerAbi, optionSettlementAbi, optionVaultAbi, walletAbi };

/** Every custom error the solver can meet in a settlement transaction, for decoding reverts. */
export const errorAbi = [
  ...optionSettlementAbi,
  ...optionVaultAbi,
  ...optionLedgerAbi,
  ...erc20Abi,
  ...aggregatorAbi,
].filter((item) => item.type === "error") as Abi;

type ErrorNameOf<A extends readonly unknown[]> = Extract<A[number], { type: "error"; name: string }>["name"];

/** The name of a custom error of the solver's contracts (or the token and oracle they call), as the ABI has it. */
export type RevertName =
  | ErrorNameOf<typeof optionSettlementAbi>
  | ErrorNameOf<typeof optionVaultAbi>
  | ErrorNameOf<typeof optionLedgerAbi>
  | ErrorNameOf<typeof erc20Abi>
  | ErrorNameOf<typeof aggregatorAbi>;
