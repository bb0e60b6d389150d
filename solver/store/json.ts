/** JSON with bigints written as decimal strings tagged `n`, so stored intents and params round-trip exactly. */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
}

export function parse<T>(text: string): T {
  return JSON.parse(text, (_k, v) => (typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as T;
}
