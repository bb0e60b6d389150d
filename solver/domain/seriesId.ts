/** Terms of an option series. `strike` is in quote base units per whole underlying (3000 USDC = 3000e6). */
export interface SeriesTerms {
  pairId: number;
  strike: bigint;
  expiry: number;
  isCall: boolean;
}

const STRIKE_MASK = (1n << 128n) - 1n;
const EXPIRY_MASK = (1n << 40n) - 1n;
const PAIR_MASK = (1n << 32n) - 1n;

/** Packs series terms into their id, as `contracts/libraries/SeriesId.sol` does. */
export function encodeSeriesId({ pairId, strike, expiry, isCall }: SeriesTerms): bigint {
  if (!Number.isInteger(pairId) || pairId < 0 || BigInt(pairId) > PAIR_MASK)
    throw new RangeError(`bad pairId ${pairId}`);
  if (!Number.isInteger(expiry) || expiry < 0 || BigInt(expiry) > EXPIRY_MASK)
    throw new RangeError(`bad expiry ${expiry}`);
  if (strike <= 0n || strike > STRIKE_MASK) throw new RangeError(`bad strike ${strike}`);
  return (BigInt(pairId) << 176n) | (BigInt(expiry) << 136n) | ((isCall ? 1n : 0n) << 128n) | strike;
}

/** Unpacks a series id. Throws when the id has bits outside the packed fields. */
export function decodeSeriesId(id: bigint): SeriesTerms {
  const terms = {
    pairId: Number((id >> 176n) & PAIR_MASK),
    expiry: Number((id >> 136n) & EXPIRY_MASK),
    isCall: ((id >> 128n) & 1n) === 1n,
    strike: id & STRIKE_MASK,
  };
  if (id < 0n || encodeSeriesId(terms) !== id) throw new RangeError(`not a canonical series id: ${id}`);
  return terms;
}

/** The distinct expiries of some series, in first-seen order. */
export function expiriesOf(series: readonly bigint[]): number[] {
  return [...new Set(series.map((id) => decodeSeriesId(id).expiry))];
}
