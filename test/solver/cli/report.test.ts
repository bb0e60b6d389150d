import { expect } from "chai";
import { checkWindow, parseFormat, parseHorizon, parseTime, windowParts } from "../../../solver/cli/report.js";
import { ErrorCode } from "../../../solver/errors.js";

/** The code a refusal carries (or "none"). */
const code = (fn: () => unknown) => {
  try {
    fn();
    return "none";
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe("CLI: report execution's input", () => {
  it("reads times as unix seconds or ISO dates, UTC unless a zone is given", () => {
    expect(parseTime("1796112000", "--from")).to.equal(1796112000);
    expect(parseTime("2026-12-01", "--from")).to.equal(1796083200);
    expect(parseTime("2026-12-01T08:00", "--from")).to.equal(1796112000);
    expect(parseTime("2026-12-01T08:00:00Z", "--from")).to.equal(1796112000);
    expect(parseTime("2026-12-01T10:00:00+02:00", "--from")).to.equal(1796112000);
    expect(parseTime("2026-12-01T08:00:00.999Z", "--from")).to.equal(1796112000);
  });

  it("refuses a time that is neither, INVALID_REQUEST", () => {
    for (const text of [
      "yesterday",
      "2026-02-30",
      "2026-13-01",
      "2026-12-01Z",
      "-5",
      "1.5",
      "",
      "1e9",
      "2026-12-01 08:00",
    ])
      expect(
        code(() => parseTime(text, "--to")),
        text,
      ).to.equal(ErrorCode.InvalidRequest);
  });

  it("refuses a window that ends before it starts, and a horizon that is not whole seconds or too long", () => {
    expect(code(() => checkWindow({ from: 20, to: 10, horizon: 0 }))).to.equal(ErrorCode.InvalidRequest);
    expect(code(() => checkWindow({ from: 10, to: 10, horizon: 0 }))).to.equal("none");
    expect(code(() => checkWindow({ from: 0, to: 10, horizon: 30 * 86_400 + 1 }))).to.equal(ErrorCode.InvalidRequest);
    for (const text of ["-1", "1.5", "5m", "", "123456789"])
      expect(
        code(() => parseHorizon(text)),
        text,
      ).to.equal(ErrorCode.InvalidRequest);
    expect(code(() => windowParts({ from: "2026-12-01", to: "soon", horizon: "300" }))).to.equal(
      ErrorCode.InvalidRequest,
    );
    expect(windowParts({ horizon: "60" })).to.deep.equal({ from: 0, to: undefined, horizon: 60 });
  });

  it("refuses an unknown --format; --json means json", () => {
    expect(code(() => parseFormat("xml", false))).to.equal(ErrorCode.InvalidRequest);
    expect(parseFormat("csv", false)).to.equal("csv");
    expect(parseFormat("xml", true)).to.equal("json");
  });
});
