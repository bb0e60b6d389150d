import { BaseError, decodeErrorResult, type Hex } from "viem";
import { errorAbi } from "./abis.js";

/** A decoded custom error: its name and arguments. */
export interface DecodedRevert {
  name: string;
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
    return { name: decoded.errorName, args: decoded.args ?? [], data };
  } catch {
    return { name: "UnknownError", args: [data.slice(0, 10)], data };
  }
}

function revertData(error: unknown): Hex | undefined {
  if (typeof error === "string" && error.startsWith("0x")) return error as Hex;
  if (error instanceof BaseError) {
    let found: Hex | undefined;
    error.walk((e) => {
      const d = (e as { data?: unknown }).data;
      if (typeof d === "string" && d.startsWith("0x")) found = d as Hex;
      else if (d && typeof d === "object" && "data" in d && typeof d.data === "string") found = d.data as Hex;
      return false;
    });
    return found;
  }
  return undefined;
}
