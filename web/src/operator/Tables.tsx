import { Section, Table } from "../components.js";
import { short, usd } from "../format.js";
import { codeInWords } from "../words.js";
import type { Inventory, Risk } from "./types.js";

/** Net greeks, declines by code and toxicity per counterparty. */
export function Tables(props: {
  risk: Risk | null;
  inventory: Inventory | null;
  declines: Array<{ code: string; count: number }> | null;
}) {
  const g = props.inventory?.greeks;
  return (
    <>
      <Section title="Net greeks" id="greeks">
        {g && (
          <dl class="figures" data-testid="net-greeks">
            <dt>Delta</dt>
            <dd>{usd(g.deltaUsd)}</dd>
            <dt>Vega</dt>
            <dd>{usd(g.vegaUsd)} per vol point</dd>
            {g.gammaUsd !== undefined && (
              <>
                <dt>Gamma</dt>
                <dd>{usd(g.gammaUsd)} of delta per 1% move</dd>
              </>
            )}
            {g.thetaUsd !== undefined && (
              <>
                <dt>Theta</dt>
                <dd>{usd(g.thetaUsd)} per day</dd>
              </>
            )}
          </dl>
        )}
      </Section>
      <Section title="Declines by code" id="declines">
        {props.declines && props.declines.length === 0 && <p class="muted">No declines since the solver started.</p>}
        {props.declines && props.declines.length > 0 && (
          <Table head={["Code", "Meaning", "Count"]} testId="declines">
            {props.declines.map((d) => (
              <tr key={d.code}>
                <th scope="row">
                  <code>{d.code}</code>
                </th>
                <td>{codeInWords(d.code)}</td>
                <td>{d.count}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <Section title="Toxicity per counterparty" id="toxicity">
        {props.risk && props.risk.toxicity.length === 0 && <p class="muted">No markouts taken yet.</p>}
        {props.risk && props.risk.toxicity.length > 0 && (
          <Table head={["Counterparty", "Toxicity (bps lost, EWMA)", "Fills"]} testId="toxicity">
            {[...props.risk.toxicity]
              .sort((a, b) => a.score - b.score)
              .map((t) => (
                <tr key={t.counterparty}>
                  <th scope="row" title={t.counterparty}>
                    {short(t.counterparty)}
                  </th>
                  <td class={t.score < 0 ? "bad" : ""}>{t.score.toFixed(1)}</td>
                  <td>{t.fills}</td>
                </tr>
              ))}
          </Table>
        )}
      </Section>
    </>
  );
}
