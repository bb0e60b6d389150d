import type { Address, PublicClient } from "viem";
import { ErrorCode, InternalizerError } from "../errors.js";
import { aggregatorAbi } from "./abis.js";

/** An oracle round: its id, answer and update time (unix seconds). */
export interface OracleRound {
  roundId: bigint;
  answer: bigint;
  updatedAt: number;
}

/**
 * The round a series settles on: the last one at or before `expiry`, found by walking back from the
 * latest round (the ledger checks that the next round is after the expiry). Chainlink round ids are
 * (phase << 64) | n; the walk stays in the latest phase, whose first round is n = 1.
 */
export async function settlementRound(client: PublicClient, oracle: Address, expiry: number): Promise<OracleRound> {
  const [latest, answer, , updatedAt] = await client.readContract({
    address: oracle,
    abi: aggregatorAbi,
    functionName: "latestRoundData",
  });
  let round: OracleRound = { roundId: latest, answer, updatedAt: Number(updatedAt) };
  while (round.updatedAt > expiry) {
    if ((round.roundId & ((1n << 64n) - 1n)) <= 1n) {
      throw new InternalizerError(ErrorCode.OracleStale, "no oracle round at or before the expiry in this phase");
    }
    const roundId = round.roundId - 1n;
    const [, a, , u] = await client.readContract({
      address: oracle,
      abi: aggregatorAbi,
      functionName: "getRoundData",
      args: [roundId],
    });
    round = { roundId, answer: a, updatedAt: Number(u) };
  }
  return round;
}
