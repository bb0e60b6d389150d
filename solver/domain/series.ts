import { ErrorCode, InternalizerError } from "../errors.js";
import { instrumentName, matchesInstrument, parseInstrument } from "./instrument.js";
import { decodeSeriesId, type SeriesTerms } from "./seriesId.js";

/** A series named by id or instrument name could not be resolved. */
export class SeriesLookupError extends InternalizerError {}

/**
 * Resolves what a user typed, a series id (decimal or 0x hex) or an instrument name (ETH-7DEC26-3000-C),
 * against the known series. Throws SERIES_UNKNOWN, or SERIES_AMBIGUOUS when two series share a name (same
 * day, different times of day).
 */
export function resolveSeries(text: string, known: ReadonlyMap<bigint, SeriesTerms>, quoteDecimals = 6): bigint {
  const trimmed = text.trim();
  if (/^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(trimmed)) {
    const id = BigInt(trimmed);
    if (known.has(id)) return id;
    throw new SeriesLookupError(ErrorCode.SeriesUnknown, "no series has this id");
  }
  const key = parseInstrument(trimmed, quoteDecimals);
  if (!key) {
    throw new SeriesLookupError(
      ErrorCode.SeriesUnknown,
      "neither a series id nor an instrument name like ETH-7DEC26-3000-C",
    );
  }
  const matches = [...known].filter(([, terms]) => matchesInstrument(terms, key)).map(([id]) => id);
  if (matches.length === 0) throw new SeriesLookupError(ErrorCode.SeriesUnknown, "no series has this instrument name");
  if (matches.length > 1) {
    throw new SeriesLookupError(
      ErrorCode.SeriesAmbiguous,
      `${matches.length} series share this instrument name (same day, other times); use the id`,
      { details: { seriesIds: matches.map(String) } },
    );
  }
  return matches[0]!;
}

/** The instrument name of a series id (decoded from the id itself). */
export function nameOf(seriesId: bigint, quoteDecimals = 6): string {
  return instrumentName(decodeSeriesId(seriesId), quoteDecimals);
}
