/** The admin API's answers, as the dashboard reads them. */
export type Amount = { raw: string; formatted: string; symbol: string; decimals: number };

export interface Limits {
  maxOrderSize: number;
  maxSeriesPosition: number;
  maxNetDeltaUsd: number;
  maxNetVegaUsd: number;
  maxCollateralUtilisation: number;
}

export interface KillSwitch {
  paused: boolean;
  reason: string | null;
  detail: string | null;
  since: number | null;
}

export interface Risk {
  limits: Limits;
  usage: Record<string, { used: number; max: number; usage: number }>;
  withReservations: { deltaUsd: number; vegaUsd: number };
  killSwitch: KillSwitch;
  toxicity: Array<{ counterparty: string; score: number; fills: number }>;
}

export interface Inventory {
  spot: number;
  chainTime: number;
  greeks: { deltaUsd: number; gammaUsd?: number; vegaUsd: number; thetaUsd?: number };
  positions: Array<{
    seriesId: string;
    instrument: string;
    expiry: number;
    net: number;
    expired: boolean;
    deltaUsd: number;
    vegaUsd: number;
    valueUsd: number;
  }>;
}

export interface PnlPoint {
  block: number;
  chainTime: number;
  totalUsd: number;
  spreadUsd: number;
  inventoryUsd: number;
  feesUsd: number;
  gasUsd: number;
  hedgePnlUsd?: number;
  hedgeCostUsd?: number;
}

export interface History {
  pnl: PnlPoint[];
  flow: Array<{ chainTime: number; fills: number; internalizedShare: number | null; avgImprovementBps: number | null }>;
}
