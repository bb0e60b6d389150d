/**
 * npm run check:pricing -- --in <vectors.json> --out <results.json>
 *
 * Prices every input with the Solidity library (on an in-process Hardhat chain) and with the
 * TypeScript twin, and writes `[{onchain: {call, put, callDelta, vega, gas}, offchain: {...}}]`.
 * When inputs carry `expected` values (as the committed reference vectors do), the worst absolute
 * errors against them are printed as the last line.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { network } from "hardhat";
import { BaseError, ContractFunctionRevertedError } from "viem";
import { z } from "zod";
import { fromWad, toWad } from "../solver/math/wad.js";
import { blackScholes } from "../solver/pricing/blackScholes.js";

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const Vector = z.object({
  spot: positive,
  strike: positive,
  years: nonNegative,
  vol: nonNegative,
  rate: nonNegative,
  expected: z.object({ call: z.number(), put: z.number(), callDelta: z.number(), vega: z.number() }).optional(),
});
const Vectors = z.array(Vector);

const { values: args } = parseArgs({
  options: { in: { type: "string" }, out: { type: "string" } },
});
if (!args.in || !args.out) {
  console.error("usage: npm run check:pricing -- --in <vectors.json> --out <results.json>");
  process.exit(2);
}

const parsed = Vectors.safeParse(JSON.parse(await readFile(args.in, "utf8")));
if (!parsed.success) {
  console.error(`invalid vectors in ${args.in}:\n${z.prettifyError(parsed.error)}`);
  process.exit(2);
}

const { viem } = await network.create();
const harness = await viem.deployContract("BlackScholesHarness");

const results: unknown[] = [];
const worst = { callOverSpot: 0, putOverSpot: 0, callDelta: 0, maxGas: 0 };
for (const v of parsed.data) {
  const twin = blackScholes(v);
  const offchain = { call: twin.call, put: twin.put, callDelta: twin.callDelta, vega: twin.vega };
  let g: Awaited<ReturnType<typeof harness.read.greeks>>;
  try {
    g = await harness.read.greeks([toWad(v.spot), toWad(v.strike), toWad(v.years), toWad(v.vol), toWad(v.rate)]);
  } catch (error) {
    // Outside the library's fixed-point range (e.g. spot above 1e27): reported, not fatal.
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    const reason =
      reverted instanceof ContractFunctionRevertedError
        ? (reverted.data?.errorName ?? reverted.shortMessage)
        : String(error);
    results.push({
      onchain: { call: null, put: null, callDelta: null, vega: null, gas: null, error: reason },
      offchain,
    });
    continue;
  }
  const [greeks, gas] = g;
  const onchain = {
    call: fromWad(greeks.call),
    put: fromWad(greeks.put),
    callDelta: fromWad(greeks.callDelta),
    vega: fromWad(greeks.vega),
    gas: Number(gas),
  };
  results.push({ onchain, offchain });
  worst.maxGas = Math.max(worst.maxGas, onchain.gas);
  if (v.expected) {
    worst.callOverSpot = Math.max(worst.callOverSpot, Math.abs(onchain.call - v.expected.call) / v.spot);
    worst.putOverSpot = Math.max(worst.putOverSpot, Math.abs(onchain.put - v.expected.put) / v.spot);
    worst.callDelta = Math.max(worst.callDelta, Math.abs(onchain.callDelta - v.expected.callDelta));
  }
}

await writeFile(args.out, `${JSON.stringify(results, null, 1)}\n`);
console.log(JSON.stringify({ vectors: results.length, out: args.out, worstAbsError: worst }));
