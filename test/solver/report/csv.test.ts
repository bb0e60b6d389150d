import { expect } from "chai";
import { aggregate } from "../../../solver/report/aggregate.js";
import { CSV_HEADER, reportCsv } from "../../../solver/report/csv.js";
import { SCALE, scenario } from "../../support/reportScenario.js";

describe("execution report: CSV", () => {
  const { facts, tape, window } = scenario();
  const report = { window: { ...window, horizonSeconds: 300 }, rows: aggregate(facts, tape, window, SCALE) };
  const lines = reportCsv(report).split("\r\n");

  it("has the documented header, fixed", () => {
    expect(CSV_HEADER).to.equal(
      "from,to,horizon_s,bucket,route,orders,filled_orders,fill_rate,fills,options,notional_usd,internal_share," +
        "internal_fills,improved_fills,improved_share,avg_improvement_bps,avg_improvement_usd,total_improvement_usd," +
        "timed_fills,median_quote_to_fill_s,p95_quote_to_fill_s,marked_fills,pending_markouts,avg_markout_bps," +
        "avg_markout_usd,total_markout_usd",
    );
    expect(lines[0]).to.equal(CSV_HEADER);
  });

  it("has one CRLF-ended line per row of the JSON, in its order, every line as wide as the header", () => {
    expect(lines.length).to.equal(1 + 20 + 1);
    expect(lines.at(-1)).to.equal("");
    for (const line of lines.slice(1, -1)) expect(line.split(",").length).to.equal(CSV_HEADER.split(",").length);
    expect(lines.slice(1, -1).map((l) => l.split(",").slice(3, 5).join("/"))).to.deep.equal(
      report.rows.map((r) => `${r.bucket}/${r.route}`),
    );
  });

  it("writes numbers as JSON does, options as their exact decimal, and an absent figure as an empty cell", () => {
    expect(lines[1]).to.equal("1000,2000,300,<1,internal,1,1,1,1,0.5,1300,1,1,1,1,526.32,2,2,1,10,10,1,0,1000,4,4");
    expect(lines[6]).to.equal("1000,2000,300,1-5,amm,1,0,0,0,0,0,,0,0,,,,0,0,,,0,0,,,0");
    expect(lines[20]).to.equal(
      "1000,2000,300,all,all,4,3,0.75,5,39.5,98700,0.189463,4,3,0.6,449.14,9.25,37,4,8.5,15,3,1,1110.54,14.466667,43.4",
    );
  });
});
