import { expect } from "chai";
import { markoutBps, ToxicityModel } from "../../../solver/router/toxicity.js";
import { expectClose } from "../../support/approx.js";

const params = { horizonSeconds: 300, alpha: 0.5, widenAboveBps: 20, widenPerBps: 0.5, ammAboveBps: 60 };

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
});
