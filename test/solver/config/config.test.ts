import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { loadConfig, loadDeployment } from "../../../solver/config/load.js";
import { ConfigError, ErrorCode } from "../../../solver/errors.js";

const KEY = `0x${"11".repeat(32)}`;
const dir = mkdtempSync(join(tmpdir(), "internalizer-config-"));

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("fills defaults and lets the environment override the file", () => {
    const file = join(dir, "a.json");
    writeFileSync(file, JSON.stringify({ solverKey: KEY, limits: { maxOrderSize: 5 }, api: { port: 9000 } }));
    const c = loadConfig(file, { API_PORT: "9100", RPC_URL: "http://10.0.0.1:8545" });
    expect(c.limits.maxOrderSize).to.equal(5);
    expect(c.limits.maxSeriesPosition).to.equal(150);
    expect(c.api.port).to.equal(9100);
    expect(c.api.host).to.equal("127.0.0.1");
    expect(c.rpcUrl).to.equal("http://10.0.0.1:8545");
    expect(c.router.gas.internal).to.equal(125_000);
  });

  it("fails fast with every invalid field named", () => {
    const e = thrown(() =>
      loadConfig(undefined, { SOLVER_PRIVATE_KEY: "0x1234", API_PORT: "-1" }, {
        router: { improvementShare: 2 },
      } as never),
    );
    expect(e).to.be.instanceOf(ConfigError);
    expect(e.code).to.equal(ErrorCode.ConfigInvalid);
    expect(e.message).to.contain("solverKey");
    expect(e.message).to.contain("api.port");
    expect(e.message).to.contain("router.improvementShare");
  });

  it("refuses an unreadable config file and a malformed deployment", () => {
    expect(thrown(() => loadConfig(join(dir, "missing.json"), {})).code).to.equal(ErrorCode.ConfigInvalid);
    const file = join(dir, "deployment.json");
    writeFileSync(file, JSON.stringify({ network: "x", chainId: 1, block: 0, pairId: 1, contracts: { weth: "0x1" } }));
    const e = thrown(() => loadDeployment(file));
    expect(e.code).to.equal(ErrorCode.DeploymentInvalid);
    expect(e.message).to.contain("contracts.weth");
  });
});
