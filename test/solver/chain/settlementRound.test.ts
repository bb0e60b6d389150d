import { expect } from "chai";
import type { PublicClient } from "viem";
import { settlementRound } from "../../../solver/chain/settlementRound.js";
import { ErrorCode, type InternalizerError } from "../../../solver/errors.js";

const PHASE = 1n << 64n;
const ORACLE = "0x0000000000000000000000000000000000000001";

/** A feed stand-in that answers latestRoundData/getRoundData from a list of (n, answer, updatedAt). */
function feed(rounds: Array<[bigint, bigint, number]>): PublicClient {
  const row = ([n, answer, at]: [bigint, bigint, number]) => [PHASE | n, answer, BigInt(at), BigInt(at), PHASE | n];
  return {
    readContract: async ({ functionName, args }: { functionName: string; args?: [bigint] }) => {
      if (functionName === "latestRoundData") return row(rounds.at(-1)!);
      const found = rounds.find(([n]) => (PHASE | n) === args![0]);
      if (!found) throw new Error("no data");
      return row(found);
    },
  } as unknown as PublicClient;
}

describe("settlementRound", () => {
  const rounds: Array<[bigint, bigint, number]> = [
    [1n, 3000n, 1000],
    [2n, 3100n, 2000],
    [3n, 3200n, 3000],
  ];

  it("walks back to the last round at or before the expiry", async () => {
    expect(await settlementRound(feed(rounds), ORACLE, 2500)).to.deep.equal({
      roundId: PHASE | 2n,
      answer: 3100n,
      updatedAt: 2000,
    });
    expect((await settlementRound(feed(rounds), ORACLE, 2000)).roundId).to.equal(PHASE | 2n);
    expect((await settlementRound(feed(rounds), ORACLE, 5000)).roundId).to.equal(PHASE | 3n);
  });

  it("refuses with ORACLE_STALE when every round of the phase is after the expiry", async () => {
    const error = await settlementRound(feed(rounds), ORACLE, 999).catch((e: unknown) => e);
    expect((error as InternalizerError).code).to.equal(ErrorCode.OracleStale);
    expect((error as InternalizerError).message).to.equal("no oracle round at or before the expiry in this phase");
  });
});
