import { expect } from "chai";
import { encodeErrorResult } from "viem";
import { optionSettlementAbi, optionVaultAbi } from "../../../solver/chain/abis.js";
import { decodeRevert } from "../../../solver/chain/revert.js";

describe("decodeRevert", () => {
  it("decodes the settlement's and the vault's custom errors with their arguments", () => {
    const worse = encodeErrorResult({ abi: optionSettlementAbi, errorName: "WorseThanAmm", args: [5n, 4n] });
    expect(decodeRevert(worse)).to.deep.equal({ name: "WorseThanAmm", args: [5n, 4n], data: worse });
    const stale = encodeErrorResult({ abi: optionVaultAbi, errorName: "StaleOracle", args: [123n] });
    expect(decodeRevert(stale)?.name).to.equal("StaleOracle");
  });

  it("names unknown selectors and returns null without revert data", () => {
    expect(decodeRevert("0xdeadbeef")?.name).to.equal("UnknownError");
    expect(decodeRevert(new Error("socket hang up"))).to.equal(null);
    expect(decodeRevert("0x")).to.equal(null);
  });
});
