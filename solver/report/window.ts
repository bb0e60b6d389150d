/** A report's period, in unix seconds of chain time (both ends included), and its markout horizon. */
export interface ReportWindow {
  from: number;
  to: number;
  horizon: number;
}

/** The markout horizon when none is asked: the solver's own toxicity horizon by default (five minutes). */
export const DEFAULT_HORIZON_SECONDS = 300;
export const MAX_HORIZON_SECONDS = 30 * 86_400;

/**
 * How far before the window the tape is read: a quote lives at most 600 s (the bound on `quoteTtlSeconds`),
 * so a fill in the window has its quote on the tape from `from` − 600 on.
 */
export const TAPE_LOOKBACK_SECONDS = 600;

/** Why a window cannot be reported on, in words; null when it can. */
export function windowProblem(w: ReportWindow): string | null {
  if (!Number.isSafeInteger(w.from) || !Number.isSafeInteger(w.to) || w.from < 0 || w.to < 0)
    return "from and to are unix seconds of chain time";
  if (w.from > w.to) return "from is after to";
  if (!Number.isInteger(w.horizon) || w.horizon < 0 || w.horizon > MAX_HORIZON_SECONDS)
    return `the horizon is whole seconds from 0 to ${MAX_HORIZON_SECONDS}`;
  return null;
}
