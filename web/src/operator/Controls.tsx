import { useSignal } from "@preact/signals";
import { admin } from "../api.js";
import { ActionButton, ErrorNote, Section, usePoll } from "../components.js";
import { expiryLabel, pct, time, usd } from "../format.js";
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
          Limits used: net delta {pct(props.risk.usage.netDeltaUsd?.usage)} of {usd(props.risk.limits.maxNetDeltaUsd)},
          net vega {pct(props.risk.usage.netVegaUsd?.usage)} of {usd(props.risk.limits.maxNetVegaUsd)}. With the open
          quotes' reservations the book would be at delta {usd(props.risk.withReservations.deltaUsd)}, vega{" "}
          {usd(props.risk.withReservations.vegaUsd)}.
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
          const patch = Object.fromEntries(
            Object.entries(draft.value).map(([k, v]) => [k, numberField(v, LIMIT_LABELS[k as keyof Limits])]),
          );
          await admin.put("/v1/admin/limits", patch);
          draft.value = {};
          reload();
          return "limits saved";
        }}
      />
    </details>
  );
}

type Slice = { atmVol: number; skew: number; curvature: number };
const SLICE_FIELDS: Array<{ key: keyof Slice; label: string }> = [
  { key: "atmVol", label: "ATM vol (0.8 = 80%)" },
  { key: "skew", label: "Skew (per unit of ln K/F)" },
  { key: "curvature", label: "Curvature" },
];

/** A number the person typed, or INVALID_REQUEST naming the field (the page never sends NaN as null). */
export function numberField(text: string, field: string): number {
  const x = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(x)) {
    throw Object.assign(new Error(`${field} must be a number, not "${text}"`), { code: "INVALID_REQUEST" });
  }
  return x;
}

/** One expiry's smile, the fields filled with what the solver uses now (its slice, else its default smile). */
function VolForm() {
  const vols = usePoll(() => admin.get<{ default: Slice; byExpiry: Record<string, Slice> }>("/v1/admin/vol"), 10_000);
  const expiries = [...new Set(prices.value?.series.map((s) => s.expiry) ?? [])].sort((a, b) => a - b);
  const expiry = useSignal<number | null>(null);
  const draft = useSignal<Partial<Record<keyof Slice, string>>>({});
  const e = expiry.value ?? expiries[0] ?? null;
  const current = (e === null ? undefined : vols.data.value?.byExpiry[String(e)]) ?? vols.data.value?.default;
  const text = (k: keyof Slice) => draft.value[k] ?? (current ? String(current[k]) : "");
  return (
    <details>
      <summary>Vol surface</summary>
      <ErrorNote error={vols.error.value} />
      <div class="form-grid">
        <label>
          Expiry
          <select
            value={String(e ?? "")}
            onChange={(ev) => {
              expiry.value = Number((ev.target as HTMLSelectElement).value);
              draft.value = {};
            }}
          >
            {expiries.map((x) => (
              <option key={x} value={String(x)}>
                {expiryLabel(x)}
              </option>
            ))}
          </select>
        </label>
        {SLICE_FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <input
              inputMode="decimal"
              value={text(f.key)}
              onInput={(ev) => (draft.value = { ...draft.value, [f.key]: (ev.target as HTMLInputElement).value })}
              data-testid={`vol-${f.key}`}
            />
          </label>
        ))}
      </div>
      <p class="muted small">
        vol(k) = ATM + skew·k + curvature·k², k = ln(K/F). The fields start at what the solver uses now, so a field left
        alone keeps its value.
      </p>
      <ActionButton
        label="Set vol slice"
        busyLabel="Saving…"
        testId="save-vol"
        disabled={e === null || !current}
        run={async () => {
          const body = {
            expiry: e,
            atmVol: numberField(text("atmVol"), "ATM vol"),
            skew: numberField(text("skew"), "skew"),
            curvature: numberField(text("curvature"), "curvature"),
          };
          await admin.post("/v1/admin/vol", body);
          draft.value = {};
          vols.reload();
          return `vol slice for ${expiryLabel(e!)} saved`;
        }}
      />
    </details>
  );
}
