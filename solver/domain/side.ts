/** What the user does. The settlement's `Side` enum encodes these in this order (0, 1, 2). */
export const SIDES = ["buy", "sellToClose", "sellToOpen"] as const;
export type TradeSide = (typeof SIDES)[number];

/** The on-chain encoding of a side: `IOptionSettlement.Side` (uint8). */
export type SideCode = 0 | 1 | 2;

/** The `IOptionSettlement.Side` enum by name, for code that writes on-chain values directly. */
export const Side = { Buy: 0, SellToClose: 1, SellToOpen: 2 } as const satisfies Record<string, SideCode>;

/** The `Side` enum value of a trade side. */
export function sideCode(side: TradeSide): SideCode {
  return SIDES.indexOf(side) as SideCode;
}

/** The trade side of an on-chain `Side` value; throws RangeError for anything else. */
export function sideName(code: number): TradeSide {
  const side = SIDES[code];
  if (side === undefined) throw new RangeError(`not a Side enum value: ${code}`);
  return side;
}

export function isTradeSide(value: unknown): value is TradeSide {
  return typeof value === "string" && (SIDES as readonly string[]).includes(value);
}
