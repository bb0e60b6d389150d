import { expect } from "chai";
import { reservationShift } from "../../../solver/router/skew.js";
import { expectClose } from "../../support/approx.js";

const option = { value: 0.1, valueUsd: 300, delta: 0.5, gamma: 0.001, vega: 340, theta: -500, vol: 0.8, years: 0.08 };
const params = { riskAversion: 0.00002, horizonDays: 1, volOfVol: 1 };
const flat = { deltaUsd: 0, gammaUsd: 0, vegaUsd: 0, thetaUsd: 0, valueUsd: 0 };

describe("reservationShift (Avellaneda-Stoikov skew)", () => {
  it("does not move a flat book's price", () => {
    expect(reservationShift(option, flat, 3000, 0.8, params)).to.equal(0);
  });

  it("lowers both sides when the book is long vega, raises them when short", () => {
    const longVega = reservationShift(option, { ...flat, vegaUsd: 5000 }, 3000, 0.8, params);
    const shortVega = reservationShift(option, { ...flat, vegaUsd: -5000 }, 3000, 0.8, params);
    expect(longVega).to.be.lessThan(0);
    expect(shortVega).to.equal(-longVega);
    // gamma x volOfVol^2 x h x netVega x vega = 2e-5 x 1 x (1/365) x 500,000 x 340.
    expectClose(longVega, -((0.00002 * 500_000 * 340) / 365), 1e-9, "vega skew");
  });

  it("lowers a call's price when the book is long delta, and raises a put's (negative delta)", () => {
    const book = { ...flat, deltaUsd: 300_000 };
    expect(reservationShift(option, book, 3000, 0.8, params)).to.be.lessThan(0);
    expect(reservationShift({ ...option, delta: -0.5 }, book, 3000, 0.8, params)).to.be.greaterThan(0);
  });
});
