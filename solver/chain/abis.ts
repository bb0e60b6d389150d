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
