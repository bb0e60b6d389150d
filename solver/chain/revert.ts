import { BaseError, decodeErrorResult, type Hex } from "viem";
import { errorAbi, type RevertName } from "./abis.js";

/** A decoded custom error: its name as the ABI has it (UnknownError for a selector no ABI knows), and arguments. */
export interface DecodedRevert {
  name: RevertName | "UnknownError";
  args: readonly unknown[];
  data: Hex;
}

/**
 * Finds the revert data in a viem error (or raw hex) and decodes it against every contract's errors.
 * Returns null when the failure carries no revert data (network errors, timeouts).
 */
export function decodeRevert(error: unknown): DecodedRevert | null {
  const data = revertData(error);
  if (!data || data === "0x") return null;
  try {
    const decoded = decodeErrorResult({ abi: errorAbi, data });
    return { name: decoded.errorName as RevertName, args: decoded.args ?? [], data };
  } catch {
    return { name: "UnknownError", args: [data.slice(0, 10)], data };
  }
}

function revertData(error: unknown): Hex | undefined {
  if (typeof error === "string") return error.startsWith("0x") ? (error as Hex) : undefined;
  if (error instanceof BaseError) {
    let found: Hex | undefined;
    error.walk((e) => {
      found ??= ownData(e);
      return false;
    });
    if (found) return found;
  }
  // Other errors (ethers, plain objects): the data on the error or down its `cause` chain.
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 8;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const d = ownData(e);
    if (d) return d;
  }
  return undefined;
}

function ownData(e: unknown): Hex | undefined {
  const d = (e as { data?: unknown } | null)?.data;
  if (typeof d === "string" && d.startsWith("0x")) return d as Hex;
  if (d && typeof d === "object" && "data" in d && typeof d.data === "string" && d.data.startsWith("0x"))
    return d.data as Hex;
  return undefined;
}
