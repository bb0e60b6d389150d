import { expect } from "chai";
import { decodeSeriesId, encodeSeriesId } from "../../../solver/domain/seriesId.js";

describe("seriesId", () => {
  const terms = { pairId: 1, strike: 3000n * 10n ** 6n, expiry: 1_800_000_000, isCall: true };

  it("round-trips terms through the packed id", () => {
    const id = encodeSeriesId(terms);
    expect(id).to.equal((1n << 176n) | (1_800_000_000n << 136n) | (1n << 128n) | 3_000_000_000n);
    expect(decodeSeriesId(id)).to.deep.equal(terms);
    expect(decodeSeriesId(encodeSeriesId({ ...terms, isCall: false }))).to.deep.equal({ ...terms, isCall: false });
  });

  it("rejects out-of-range terms and non-canonical ids with a RangeError", () => {
    expect(() => encodeSeriesId({ ...terms, strike: 0n })).to.throw(RangeError);
    expect(() => encodeSeriesId({ ...terms, strike: 1n << 128n })).to.throw(RangeError);
    expect(() => encodeSeriesId({ ...terms, expiry: 2 ** 41 })).to.throw(RangeError);
    expect(() => encodeSeriesId({ ...terms, pairId: -1 })).to.throw(RangeError);
    expect(() => decodeSeriesId(encodeSeriesId(terms) | (1n << 250n))).to.throw(RangeError);
    expect(() => decodeSeriesId(encodeSeriesId(terms) | (1n << 129n))).to.throw(RangeError);
  });
});
