import { admin, adminToken } from "../api.js";
import { ErrorNote, Section, usePoll } from "../components.js";
import { Charts } from "./Charts.js";
import { Controls } from "./Controls.js";
import { Heatmap } from "./Heatmap.js";
import { Tables } from "./Tables.js";
import type { History, Inventory, Risk } from "./types.js";

/** The operator's dashboard: kill switch and controls, PnL and flow over time, greeks, inventory, declines, toxicity. */
export function Dashboard({ signOut }: { signOut: () => void }) {
  const risk = usePoll(() => admin.get<Risk>("/v1/admin/risk"), 3000);
  const inventory = usePoll(() => admin.get<Inventory>("/v1/admin/inventory"), 5000);
  const history = usePoll(() => admin.get<History>("/v1/admin/history?points=40"), 15_000);
  const declines = usePoll(
    () => admin.get<{ declines: Array<{ code: string; count: number }> }>("/v1/admin/declines"),
    5000,
  );
  const authError = [risk.error.value].find((e) => /ADMIN_TOKEN/.test(String((e as { code?: string })?.code ?? "")));
  // A wrong token is forgotten at once, so that no more requests go out with it.
  if (authError) adminToken.clear();
  if (authError) {
    return (
      <Section title="Operator" id="operator">
        <ErrorNote error={authError} />
        <button type="button" onClick={signOut}>
          Enter the token again
        </button>
      </Section>
    );
  }
  return (
    <div class="grid operator">
      <Controls risk={risk.data.value} error={risk.error.value} reload={risk.reload} signOut={signOut} />
      <Charts history={history.data.value} error={history.error.value} />
      <Heatmap inventory={inventory.data.value} error={inventory.error.value} />
      <Tables
        risk={risk.data.value}
        inventory={inventory.data.value}
        declines={declines.data.value?.declines ?? null}
      />
    </div>
  );
}
