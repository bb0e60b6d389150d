import type { FlowInputs } from "../../solver/flow/features.js";

/** A plain request: 3 weekly at-the-money calls bought, the oracle on the reference, no segment history. */
export const NEUTRAL_REQUEST: FlowInputs = Object.freeze({
  amount: 3,
  strike: 3000,
  spot: 3000,
  tenorYears: 7 / 365,
  isCall: true,
  userBuys: true,
  recentReturnBps: 0,
  oracleGapBps: 0,
  oracleAgeSeconds: 600,
  realizedVol: 0.8,
  segmentMarkoutBps: 0,
});
