import { expect } from "chai";

/**
 * Asserts |actual - expected| <= tolerance for floats. The Hardhat chai matchers replace `closeTo` with a
 * bigint-only version, so float comparisons go through here.
 */
export function expectClose(actual: number, expected: number, tolerance: number, what = "value"): void {
  expect(
    Math.abs(actual - expected) <= tolerance,
    `${what}: |${actual} - ${expected}| = ${Math.abs(actual - expected)} > ${tolerance}`,
  ).to.equal(true);
}
