import { expect } from "chai";
import { markoutBps, ToxicityModel } from "../../../solver/router/toxicity.js";
import { expectClose } from "../../support/approx.js";

const params = {
  horizonSeconds: 300,
  alpha: 0.5,
  widenAboveBps: 20,
  widenPerBps: 0.5,
  ammAboveBps: 60,
  confidence: 0,
};

describe("toxicity", () => {
  it("measures markouts from the solver's side in bps of notional", () => {
    // The solver sold at $110 an option now worth $100 on spot $3000: +33.3 bps for the solver.
    expectClose(markoutBps(false, 110, 100, 3000), 33.333333, 1e-5, "sold");
    expectClose(markoutBps(true, 110, 100, 3000), -33.333333, 1e-5, "bought");
  });

  it("scores a counterparty by an EWMA of its markout losses, then widens and routes away", () => {
    const m = new ToxicityModel(params);
    expect(m.score("0xAbC")).to.equal(0);
    m.record("0xabc", -40);
    expect(m.score("0xABC")).to.equal(40);
    expectClose(m.widenBps("0xabc"), 10, 1e-12, "widen");
    expect(m.ammOnly("0xabc")).to.equal(false);
    m.record("0xabc", -100);
    expect(m.score("0xabc")).to.equal(70);
    expect(m.ammOnly("0xabc")).to.equal(true);
    // Good fills bring the score back down.
    m.record("0xabc", 30);
    expect(m.score("0xabc")).to.equal(20);
    expect(m.widenBps("0xabc")).to.equal(0);
    expect(m.snapshot()).to.deep.equal([{ counterparty: "0xabc", score: 20, fills: 3 }]);
  });

  it("with a confidence bound, acts on a run of losses but not on an honest trader's noisy markouts", () => {
    const m = new ToxicityModel({ ...params, alpha: 0.2, widenAboveBps: 2, ammAboveBps: 5, confidence: 2 });
    // An honest trader: markouts of +-40 bps around a small gain for the solver.
    for (const x of [40, -40, 35, -45, 42, -38, 41, -39, -44, -40]) m.record("0xhonest", x);
    expect(m.score("0xhonest")).to.be.greaterThan(5);
    expect(m.ammOnly("0xhonest")).to.equal(false);
    expect(m.widenBps("0xhonest")).to.equal(0);
    // An informed one: steady losses of 30-40 bps.
    for (const x of [-30, -38, -33, -40]) m.record("0xinformed", x);
    expect(m.ammOnly("0xinformed")).to.equal(true);
    // Two fills are not evidence of anything.
    m.record("0xnew", -80);
    m.record("0xnew", -90);
    expect(m.ammOnly("0xnew")).to.equal(false);
  });
});
