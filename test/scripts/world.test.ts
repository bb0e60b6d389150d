import { expect } from "chai";
import { exponential, poisson, Random } from "../../scripts/lib/sim/random.js";
import { DEFAULT_SCENARIO, SCENARIO_NAMES, SCENARIOS, scenarioParams } from "../../scripts/lib/sim/scenarios.js";
import {
  buildWorld,
  LOOKAHEAD_STEPS,
  noiseSize,
  ORACLE_LAG_EDGE_BPS,
  oracleRounds,
  type SimRequest,
  START_PRICE,
  STRIKES,
  truePricePath,
} from "../../scripts/lib/sim/world.js";
import { userDirection } from "../../solver/flow/features.js";
import { expectClose } from "../support/approx.js";

const direction = (r: SimRequest) => userDirection({ isCall: r.isCall, userBuys: r.side === "buy" });

/** Share of each distinct value of `key` among `items`. */
function shares<T>(items: T[], key: (t: T) => string | number): Map<string | number, number> {
  const out = new Map<string | number, number>();
  for (const t of items) out.set(key(t), (out.get(key(t)) ?? 0) + 1 / items.length);
  return out;
}

describe("scenario world", () => {
  it("gives the same world for the same seed and another for another seed", () => {
    const params = scenarioParams("stress", { requests: 200 });
    expect(buildWorld(params, 7)).to.deep.equal(buildWorld(params, 7));
    const other = buildWorld(params, 8);
    expect(other.steps.map((s) => s.truePrice)).to.not.deep.equal(buildWorld(params, 7).steps.map((s) => s.truePrice));
    expect(other.steps.map((s) => s.request)).to.not.deep.equal(buildWorld(params, 7).steps.map((s) => s.request));
  });

  it("has one request per step, 5 minutes apart, and a tail of one hour for markouts", () => {
    const w = buildWorld(scenarioParams("calm", { requests: 50 }), 1);
    expect(w.steps).to.have.length(50);
    expect(w.tail).to.have.length(LOOKAHEAD_STEPS);
    expect(w.steps[0]!.truePrice).to.equal(START_PRICE);
    expect(w.steps.map((s) => s.time)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i * 300));
    expect(w.tail[0]!.time).to.equal(50 * 300);
  });

  it("keeps the path when only the flow settings change (the path has its own stream)", () => {
    const a = buildWorld(scenarioParams("calm", { requests: 100 }), 3);
    const b = buildWorld(scenarioParams("sybil", { requests: 100, informedMimic: true, sizes: "heavy" }), 3);
    expect(b.steps.map((s) => s.truePrice)).to.deep.equal(a.steps.map((s) => s.truePrice));
  });

  it("pushes an oracle round only on deviation or heartbeat", () => {
    // 3000 → +0.33% (no), +0.53% (deviation) then flat: the next round is the heartbeat an hour later.
    const path = [3000, 3010, 3016, ...Array.from({ length: 14 }, () => 3016)];
    const rounds = oracleRounds(path, 300, 50, 3600);
    expect(rounds.map((r) => r.updated)).to.deep.equal(rounds.map((_, i) => i === 0 || i === 2 || i === 14));
    expect(rounds[1]).to.deep.equal({ price: 3000, updatedAt: 0, updated: false });
    expect(rounds[2]).to.deep.equal({ price: 3016, updatedAt: 600, updated: true });
    expect(rounds[13]!.updatedAt).to.equal(600);
    expect(rounds[14]).to.deep.equal({ price: 3016, updatedAt: 4200, updated: true });
    // A fall of exactly the deviation counts.
    expect(oracleRounds([3000, 2985], 300, 50, 3600)[1]!.updated).to.equal(true);
  });

  it("lags the true price in a world: rounds stay within the deviation, stale at most a heartbeat", () => {
    const w = buildWorld(scenarioParams("oracle-lag"), 11);
    const updates = w.steps.filter((s) => s.oracle.updated).length;
    expect(updates)
      .to.be.greaterThan(5)
      .and.lessThan(w.steps.length / 2);
    for (const s of w.steps) {
      expect(Math.abs(s.truePrice / s.oracle.price - 1) * 10_000).to.be.lessThan(100);
      expect(s.time - s.oracle.updatedAt).to.be.lessThan(3600);
    }
  });

  it("never lets a trader sell to close more than it holds", () => {
    for (const name of SCENARIO_NAMES) {
      const w = buildWorld(scenarioParams(name, { informedShare: 0.4, informedMimic: true, sizes: "heavy" }), 5);
      const held = new Map<string, number>();
      let closes = 0;
      for (const { request: r } of w.steps) {
        const key = `${r.trader}|${r.strike}|${r.tenorDays}|${r.isCall}`;
        if (r.side === "sellToClose") {
          closes++;
          expect(r.amount).to.be.at.most(held.get(key) ?? 0);
        }
        const change = r.side === "buy" ? r.amount : r.side === "sellToClose" ? -r.amount : 0;
        held.set(key, (held.get(key) ?? 0) + change);
        expect(Number.isInteger(r.amount) && r.amount > 0).to.equal(true);
      }
      expect(closes, name).to.be.greaterThan(0);
    }
  });

  it("gives every sybil trade a fresh id, and fixed ids otherwise", () => {
    const sybil = buildWorld(scenarioParams("sybil"), 2).steps.map((s) => s.request);
    const ids = sybil.filter((r) => r.informed).map((r) => r.trader);
    expect(ids.length).to.be.greaterThan(40);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids.every((id) => /^sybil-\d+$/.test(id))).to.equal(true);
    const plain = buildWorld(scenarioParams("calm"), 2).steps.map((s) => s.request);
    expect(new Set(plain.filter((r) => r.informed).map((r) => r.trader))).to.deep.equal(
      new Set(["informed-1", "informed-2", "informed-3"]),
    );
    expect(plain.filter((r) => !r.informed).every((r) => /^noise-[1-9]$/.test(r.trader))).to.equal(true);
  });

  it("has foresight traders buy the weekly nearest the money in the direction of the next hour", () => {
    const w = buildWorld(scenarioParams("calm"), 9);
    const points = [...w.steps, ...w.tail];
    w.steps.forEach((s, i) => {
      const r = s.request;
      if (!r.informed) return;
      const nearest = Math.min(...STRIKES.map((k) => Math.abs(k - s.truePrice)));
      expect(Math.abs(r.strike - s.truePrice)).to.equal(nearest);
      expect([r.tenorDays, r.side, r.amount >= 2 && r.amount <= 8]).to.deep.equal([7, "buy", true]);
      expect(r.isCall).to.equal(points[i + LOOKAHEAD_STEPS]!.truePrice > s.truePrice);
    });
  });

  it("has oracle-lag traders trade only across a gap of the edge or more, towards the true price", () => {
    const w = buildWorld(scenarioParams("oracle-lag", { informedMimic: true, informedShare: 0.5 }), 4);
    const informed = w.steps.filter((s) => s.request.informed);
    expect(informed.length).to.be.greaterThan(50);
    for (const s of informed) {
      const gapBps = (s.truePrice / s.oracle.price - 1) * 10_000;
      expect(Math.abs(gapBps)).to.be.at.least(ORACLE_LAG_EDGE_BPS);
      expect(direction(s.request)).to.equal(gapBps > 0 ? 1 : -1);
    }
    // Steps with a narrow gap go to noise traders, so the informed share falls below the parameter.
    expect(informed.length / w.steps.length).to.be.lessThan(0.5);
  });

  it("has mimics draw series and sizes as noise traders do: only the direction differs", () => {
    const params = scenarioParams("sybil", { requests: 6000, informedShare: 0.5, informedMimic: true, sizes: "mixed" });
    const w = buildWorld(params, 21);
    const buys = (informed: boolean) => w.steps.map((s) => s.request).filter((r) => r.informed === informed);
    const [mimic, noise] = [buys(true), buys(false)];
    for (const key of [(r: SimRequest) => r.strike, (r: SimRequest) => r.tenorDays]) {
      const [a, b] = [shares(mimic, key), shares(noise, key)];
      for (const [k, share] of b) expectClose(a.get(k) ?? 0, share, 0.03, `value ${k}`);
    }
    const size = (rs: SimRequest[]) =>
      shares(
        rs.filter((r) => r.side !== "sellToClose"),
        (r) => (r.amount > 5 ? "big" : r.amount),
      );
    for (const [k, share] of size(noise)) expectClose(size(mimic).get(k) ?? 0, share, 0.03, `size ${k}`);
    expectClose(shares(mimic, (r) => r.side).get("sellToOpen") ?? 0, 0.1, 0.03, "value");
    // Foresight mimics still trade the right way: their delta follows the next hour's move.
    const points = [...w.steps, ...w.tail];
    w.steps.forEach((s, i) => {
      if (!s.request.informed) return;
      expect(direction(s.request)).to.equal(points[i + LOOKAHEAD_STEPS]!.truePrice > s.truePrice ? 1 : -1);
    });
  });

  it("draws noise sizes from the scenario's distribution", () => {
    const draw = (sizes: "small" | "mixed" | "heavy") => {
      const r = new Random(1);
      return Array.from({ length: 5000 }, () => noiseSize(r, sizes));
    };
    expect(Math.min(...draw("small"))).to.equal(1);
    expect(Math.max(...draw("small"))).to.equal(5);
    const mixed = draw("mixed");
    expectClose(mixed.filter((x) => x >= 10).length / mixed.length, 0.15, 0.02, "value");
    const heavy = draw("heavy");
    expect(Math.max(...heavy)).to.equal(40);
    expectClose(heavy.filter((x) => x === 1).length / heavy.length, 1 - 2 ** -1.2, 0.02, "value");
  });

  it("moves the true price with the scenario's drift, vol and jumps", () => {
    const logReturns = (name: "calm" | "trend" | "jumps", steps = 20_000) => {
      const path = truePricePath(new Random(3), scenarioParams(name), steps);
      return path.slice(1).map((p, i) => Math.log(p / path[i]!));
    };
    const perYear = 365 * 288;
    const calm = logReturns("calm");
    const calmVol = Math.sqrt((calm.reduce((s, r) => s + r * r, 0) / calm.length) * perYear);
    expectClose(calmVol, 0.8, 0.02, "value");
    const trend = logReturns("trend");
    expect((trend.reduce((s, r) => s + r, 0) / trend.length) * perYear).to.be.greaterThan(3);
    // Jumps of 200 bps: returns beyond 5 sd of the diffusion happen only with jumps.
    const sd = 0.8 / Math.sqrt(perYear);
    expect(calm.filter((r) => Math.abs(r) > 5 * sd).length).to.equal(0);
    expect(logReturns("jumps").filter((r) => Math.abs(r) > 5 * sd).length).to.be.greaterThan(10);
  });

  it("draws Poisson counts and exponential times with the right means", () => {
    const r = new Random(8);
    const counts = Array.from({ length: 20_000 }, () => poisson(r, 0.3));
    expectClose(counts.reduce((s, x) => s + x, 0) / counts.length, 0.3, 0.02, "value");
    expect(poisson(r, 0)).to.equal(0);
    const times = Array.from({ length: 20_000 }, () => exponential(r, 2));
    expectClose(times.reduce((s, x) => s + x, 0) / times.length, 0.5, 0.02, "value");
  });

  it("defines each named scenario on top of the defaults", () => {
    expect(scenarioParams(undefined)).to.deep.equal(DEFAULT_SCENARIO);
    expect(scenarioParams("calm")).to.deep.equal(DEFAULT_SCENARIO);
    expect(DEFAULT_SCENARIO).to.include({ requests: 400, stepSeconds: 300, informedShare: 0.2, vol: 0.8 });
    expect(DEFAULT_SCENARIO).to.include({ oracleDeviationBps: 50, oracleHeartbeatSeconds: 3600, sizes: "small" });
    expect(scenarioParams("trend").drift).to.equal(10);
    expect(scenarioParams("jumps")).to.include({ jumpsPerDay: 3, jumpBps: 200 });
    expect(scenarioParams("oracle-lag")).to.include({ informedType: "oracle-lag", oracleDeviationBps: 100 });
    expect(scenarioParams("sybil")).to.include({ sybil: true, informedShare: 0.2, informedType: "foresight" });
    expect(scenarioParams("stress")).to.include({
      informedType: "oracle-lag",
      sybil: true,
      informedMimic: true,
      sizes: "heavy",
      vol: 1.2,
      jumpsPerDay: 3,
    });
    expect(scenarioParams("stress", { vol: 0.5, requests: 10 })).to.include({ vol: 0.5, requests: 10, sybil: true });
    expect(Object.keys(SCENARIOS)).to.deep.equal(["calm", "trend", "jumps", "oracle-lag", "sybil", "stress"]);
    expect(() => scenarioParams("calm", { informedShare: 1.5 })).to.throw(RangeError);
    expect(() => scenarioParams("nope" as "calm")).to.throw(RangeError, /unknown scenario/);
  });
});
