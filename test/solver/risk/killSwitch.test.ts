import { expect } from "chai";
import { ErrorCode, QuoteDeclined } from "../../../solver/errors.js";
import { silentLogger } from "../../../solver/log.js";
import { KillSwitch } from "../../../solver/risk/killSwitch.js";
import { Store } from "../../../solver/store/db.js";

const params = {
  maxDrawdownUsd: 1000,
  burstFills: 3,
  burstWindowSeconds: 10,
  oracleMaxAgeSeconds: 60,
  chainTimeoutMs: 1000,
};

describe("KillSwitch", () => {
  it("stops on a drawdown with the reason, declines with SOLVER_PAUSED, and resumes by hand", () => {
    const k = new KillSwitch(params, new Store(":memory:"), silentLogger());
    k.checkDrawdown(999, 100);
    expect(k.paused).to.equal(false);
    k.checkDrawdown(1001, 100);
    expect(k.state).to.deep.equal({ paused: true, reason: "DRAWDOWN", detail: "drawdown $1001 > $1000", since: 100 });
    expect(() => k.assertQuoting())
      .to.throw(QuoteDeclined)
      .with.property("code", ErrorCode.SolverPaused);
    k.resume();
    expect(k.paused).to.equal(false);
    expect(() => k.assertQuoting()).to.not.throw();
  });

  it("stops on a burst of fills within the window only", () => {
    const k = new KillSwitch(params, new Store(":memory:"), silentLogger());
    k.recordFill(0);
    k.recordFill(5);
    k.recordFill(16);
    expect(k.paused).to.equal(false);
    k.recordFill(17);
    k.recordFill(18);
    expect(k.state.reason).to.equal("FILL_BURST");
  });

  it("stops on a stale oracle, keeping the first reason", () => {
    const k = new KillSwitch(params, new Store(":memory:"), silentLogger());
    k.checkOracle(100, 160);
    expect(k.paused).to.equal(false);
    k.checkOracle(100, 161);
    k.checkDrawdown(1e9, 161);
    expect(k.state.reason).to.equal("ORACLE_STALE");
  });

  it("lifts a chain outage by itself once the chain answers, but not other stops", () => {
    const k = new KillSwitch(params, new Store(":memory:"), silentLogger());
    k.chainDown("connection refused", 1);
    expect(k.state.reason).to.equal("CHAIN_UNREACHABLE");
    k.chainUp();
    expect(k.paused).to.equal(false);
    k.checkOracle(0, 1000);
    k.chainUp();
    expect(k.state.reason).to.equal("ORACLE_STALE");
  });

  it("survives a restart: the stop is persisted", () => {
    const store = new Store(":memory:");
    new KillSwitch(params, store, silentLogger()).checkDrawdown(5000, 7);
    const again = new KillSwitch(params, store, silentLogger());
    expect(again.state).to.include({ paused: true, reason: "DRAWDOWN", since: 7 });
  });
});
