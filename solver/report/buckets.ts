import { OPTION_DECIMALS } from "../domain/amount.js";
import type { Route } from "../domain/route.js";

const ONE = 10n ** BigInt(OPTION_DECIMALS);

/**
 * Order sizes in options, half-open intervals [min, max): under one option (a retail ticket), 1 to 5, 5 to 25,
 * and 25 or more (half the default largest order, 50). Options, not notional: the size a trader chooses, and
 * a bucket that does not move with spot between two reports.
 */
export const SIZE_BUCKETS = [
  { name: "<1", min: 0n, max: ONE },
  { name: "1-5", min: ONE, max: 5n * ONE },
  { name: "5-25", min: 5n * ONE, max: 25n * ONE },
  { name: ">=25", min: 25n * ONE, max: null },
] as const;
export type BucketName = (typeof SIZE_BUCKETS)[number]["name"];

export const ROUTES: readonly Route[] = ["internal", "amm", "split"];

/** The bucket of an order of `amount` options (base units). */
export function bucketOf(amount: bigint): BucketName {
  const found = SIZE_BUCKETS.find((b) => amount >= b.min && (b.max === null || amount < b.max));
  if (!found) throw new RangeError("a negative amount has no size bucket");
  return found.name;
}

/** How a fill was executed, from its Filled event: all from the solver, all from the vault, or both. */
export function routeOfFill(internalAmount: bigint, ammAmount: bigint): Route {
  if (ammAmount === 0n) return "internal";
  return internalAmount === 0n ? "amm" : "split";
}

/** The buckets as the report states them: bounds as exact decimal numbers of options (null: no upper bound). */
export function bucketDefinitions() {
  const options = (raw: bigint) => (raw / ONE).toString();
  return SIZE_BUCKETS.map((b) => ({
    name: b.name,
    minOptions: options(b.min),
    maxOptions: b.max === null ? null : options(b.max),
  }));
}
