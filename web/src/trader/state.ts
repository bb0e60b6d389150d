import { signal } from "@preact/signals";
import type { Series, TradeSide } from "../../../solver/sdk/index.js";

/** What the ticket trades: set by a click in the option chain or by the ticket's own fields. */
export const ticket = signal<{ instrument: string; side: TradeSide }>({ instrument: "", side: "buy" });

/** Bumped after a fill or an exercise, so positions and fills reload at once. */
export const accountVersion = signal(0);

export function pick(series: Series, side: TradeSide): void {
  ticket.value = { instrument: series.instrument, side };
  document.getElementById("ticket")?.scrollIntoView({ behavior: "smooth", block: "start" });
  (document.getElementById("ticket-size") as HTMLInputElement | null)?.focus();
}
