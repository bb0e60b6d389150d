import { useSignal } from "@preact/signals";
import { admin } from "../api.js";
import { ActionButton, ErrorNote, Section, usePoll } from "../components.js";
import { expiryLabel, time, usd } from "../format.js";
import { prices } from "../stream.js";
import type { Limits, Risk } from "./types.js";

const LIMIT_LABELS: Record<keyof Limits, string> = {
  maxOrderSize: "Largest order (options)",
  maxSeriesPosition: "Largest position per series (options)",
  maxNetDeltaUsd: "Largest net delta (USD)",
  maxNetVegaUsd: "Largest net vega (USD per vol point)",
  maxCollateralUtilisation: "Largest collateral utilisation (0–1)",
};

/** Kill switch with its reason, pause and resume, limits and vols: each change through the validated API. */
export function Controls(props: { risk: Risk | null; error: unknown; reload: () => void; signOut: () => void }) {
  const k = props.risk?.killSwitch;
  return (
    <Section
      title="Solver"
      id="controls"
      aside={
        <button type="button" class="secondary" onClick={props.signOut}>
          Sign out
        </button>
      }
    >
      <ErrorNote error={props.error} />
      {k && (
        <div class={`kill ${k.paused ? "paused" : "running"}`} data-testid="kill-switch" data-paused={String(k.paused)}>
          <strong>{k.paused ? "Paused" : "Quoting"}</strong>
          {k.paused && (
            <span>
              {k.reason}: {k.detail} {k.since ? `(since ${time(k.since)})` : ""}
            </span>
          )}
          {k.paused ? (
            <ActionButton
              label="Resume"
              busyLabel="Resuming…"
              testId="resume"
              run={async () => {
                await admin.post("/v1/admin/resume");
                props.reload();
                return "resumed";
              }}
            />
          ) : (
            <ActionButton
              label="Pause"
              busyLabel="Pausing…"
              kind="danger"
              testId="pause"
              run={async () => {
                await admin.post("/v1/admin/pause");
                props.reload();
                return "paused";
              }}
            />
          )}
        </div>
      )}
      {props.risk && (
        <p data-testid="greeks">
          Net delta {usd(props.risk.usage.netDeltaUsd?.used)} of {usd(props.risk.limits.maxNetDeltaUsd)} · net vega{" "}
          {usd(props.risk.usage.netVegaUsd?.used)} of {usd(props.risk.limits.maxNetVegaUsd)} · with open reservations:
          delta {usd(props.risk.withReservations.deltaUsd)}, vega {usd(props.risk.withReservations.vegaUsd)}
        </p>
      )}
      {props.risk && <LimitsForm limits={props.risk.limits} reload={props.reload} />}
      <VolForm />
    </Section>
  );
}

function LimitsForm({ limits, reload }: { limits: Limits; reload: () => void }) {
  const draft = useSignal<Record<string, string>>({});
  return (
    <details>
      <summary>Risk limits</summary>
      <div class="form-grid">
        {(Object.keys(LIMIT_LABELS) as Array<keyof Limits>).map((k) => (
          <label key={k}>
            {LIMIT_LABELS[k]}
            <input
              inputMode="decimal"
              value={draft.value[k] ?? String(limits[k])}
              onInput={(e) => (draft.value = { ...draft.value, [k]: (e.target as HTMLInputElement).value })}
              data-testid={`limit-${k}`}
            />
          </label>
        ))}
      </div>
      <ActionButton
        label="Save limits"
        busyLabel="Saving…"
        testId="save-limits"
        run={async () => {
          const patch = Object.fromEntries(Object.entries(draft.value).map(([k, v]) => [k, Number(v)]));
          await admin.put("/v1/admin/limits", patch);
          draft.value = {};
          reload();
          return "limits saved";
        }}
      />
    </details>
  );
}

function VolForm() {
  const vols = usePoll(
    () =>
      admin.get<{ default: number; byExpiry: Record<string, { atmVol: number; skew: number; curvature: number }> }>(
        "/v1/admin/vol",
      ),
    10_000,
  );
  const expiries = [...new Set(prices.value?.series.map((s) => s.expiry) ?? [])].sort((a, b) => a - b);
  const expiry = useSignal<number | null>(null);
  const e = expiry.value ?? expiries[0] ?? null;
  const current = e === null ? undefined : vols.data.value?.byExpiry[String(e)];
  const atm = useSignal("");
  const skew = useSignal("");
  const curv = useSignal("");
  return (
    <details>
      <summary>Vol surface</summary>
      <ErrorNote error={vols.error.value} />
      <div class="form-grid">
        <label>
          Expiry
          <select
            value={String(e ?? "")}
            onChange={(ev) => (expiry.value = Number((ev.target as HTMLSelectElement).value))}
          >
            {expiries.map((x) => (
              <option key={x} value={String(x)}>
                {expiryLabel(x)}
              </option>
            ))}
          </select>
        </label>
        <label>
          ATM vol (0.8 = 80%)
          <input
            inputMode="decimal"
            placeholder={String(current?.atmVol ?? vols.data.value?.default ?? "")}
            value={atm.value}
            onInput={(ev) => (atm.value = (ev.target as HTMLInputElement).value)}
            data-testid="vol-atm"
          />
        </label>
        <label>
          Skew
          <input
            inputMode="decimal"
            placeholder={String(current?.skew ?? 0)}
            value={skew.value}
            onInput={(ev) => (skew.value = (ev.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Curvature
          <input
            inputMode="decimal"
            placeholder={String(current?.curvature ?? 0)}
            value={curv.value}
            onInput={(ev) => (curv.value = (ev.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <ActionButton
        label="Set vol slice"
        busyLabel="Saving…"
        testId="save-vol"
        disabled={e === null}
        run={async () => {
          const n = (text: string, fallback: number | undefined) =>
            text.trim() === "" ? (fallback ?? 0) : Number(text);
          await admin.post("/v1/admin/vol", {
            expiry: e,
            atmVol: n(atm.value, current?.atmVol ?? vols.data.value?.default),
            skew: n(skew.value, current?.skew),
            curvature: n(curv.value, current?.curvature),
          });
          vols.reload();
          return `vol slice for ${expiryLabel(e!)} saved`;
        }}
      />
    </details>
  );
}
