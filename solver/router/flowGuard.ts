import type { Config } from "../config/schema.js";
import { ErrorCode, QuoteDeclined } from "../errors.js";
import type { FlowInputs } from "../flow/features.js";
import type { FlowModel, FlowScore } from "../flow/model.js";
import { SegmentMarkouts, segmentOf } from "../flow/segments.js";

export type FlowParams = Config["flow"];

/** What the flow step concluded about one request. */
export interface FlowAssessment {
  segment: string;
  /** The segment's measured markout, bps of notional (negative: the segment's flow has cost the solver). */
  segmentMarkoutBps: number;
  /** The model's score; null without a model. */
  score: FlowScore | null;
  /** Added half-spread, bps of notional: the segment's measured loss and the model's expected loss. */
  widenBps: number;
  /** True when the model's probability of informed flow sends the request to the AMM. */
  ammOnly: boolean;
  /** True above the decline threshold (the step refuses the request with FLOW_TOXIC). */
  declined: boolean;
}

/**
 * Adverse selection priced from what a request is, not who sent it: the measured markouts of its segment
 * (size x moneyness x tenor) and the flow model's score of its features. A fresh address per trade defeats
 * per-counterparty markouts; it does not change the segment a trade falls in or what its timing shows.
 */
export class FlowGuard {
  readonly segments: SegmentMarkouts;

  constructor(
    readonly params: FlowParams,
    readonly model: FlowModel | null,
  ) {
    this.segments = new SegmentMarkouts(params.segmentAlpha);
  }

  /** Scores a request. */
  assess(x: Omit<FlowInputs, "segmentMarkoutBps">): FlowAssessment {
    const segment = segmentOf(x);
    const segmentMarkoutBps = this.segments.mean(segment);
    const score = this.model ? this.model.score({ ...x, segmentMarkoutBps }) : null;
    const p = this.params;
    const widenBps =
      Math.max(0, -segmentMarkoutBps) * p.segmentWidenPerBps +
      Math.max(0, -(score?.expectedMarkoutBps ?? 0)) * p.widenPerBps;
    const informed = score?.informed ?? 0;
    return {
      segment,
      segmentMarkoutBps,
      score,
      widenBps,
      ammOnly: informed > p.ammAbove,
      declined: informed > p.declineAbove,
    };
  }

  /** The decline for an assessment above the threshold. */
  static declineFor(a: FlowAssessment): QuoteDeclined {
    return new QuoteDeclined(ErrorCode.FlowToxic, "the request's features score as informed flow", {
      details: { informed: round(a.score?.informed ?? 0), segment: a.segment },
    });
  }

  /** A fill's markout, taken into its segment's measure. */
  record(x: Parameters<typeof segmentOf>[0], markoutBps: number): void {
    this.segments.record(segmentOf(x), markoutBps);
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
