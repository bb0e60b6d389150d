import { type Signal, useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { describe } from "./words.js";

/** A failure with its code in words, the API's message, and the code itself for support. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const d = describe(error);
  return (
    <div class="note error" role="alert" data-code={d.code}>
      <strong>{d.title}</strong>
      {d.message && <span>{d.message}</span>}
      <code>{d.code}</code>
      {d.issues.length > 0 && (
        <ul class="issues">
          {d.issues.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Note({ kind, children }: { kind: "ok" | "info" | "warn"; children: ComponentChildren }) {
  return (
    <div class={`note ${kind}`} role="status">
      {children}
    </div>
  );
}

type Outcome = { kind: "ok"; text: string } | { kind: "error"; error: unknown } | null;

/**
 * A button for an action that takes time: disabled with a progress label while it runs, then its outcome
 * (a confirmation or the refusal in words) beside it.
 */
export function ActionButton(props: {
  label: string;
  busyLabel?: string;
  run: () => Promise<string | undefined>;
  disabled?: boolean;
  kind?: "primary" | "secondary" | "danger";
  testId?: string;
}) {
  const busy = useSignal(false);
  const outcome = useSignal<Outcome>(null);
  const click = async () => {
    busy.value = true;
    outcome.value = null;
    try {
      const text = await props.run();
      outcome.value = text ? { kind: "ok", text } : null;
    } catch (error) {
      outcome.value = { kind: "error", error };
    } finally {
      busy.value = false;
    }
  };
  return (
    <span class="action">
      <button
        type="button"
        class={props.kind ?? "primary"}
        disabled={busy.value || props.disabled}
        aria-busy={busy.value}
        onClick={click}
        data-testid={props.testId}
      >
        {busy.value ? (props.busyLabel ?? `${props.label}…`) : props.label}
      </button>
      {outcome.value?.kind === "ok" && <Note kind="ok">{outcome.value.text}</Note>}
      {outcome.value?.kind === "error" && <ErrorNote error={outcome.value.error} />}
    </span>
  );
}

/** Seconds left until `until` on the chain's clock, ticking every second. */
export function Countdown({ until, now }: { until: number; now: () => number }) {
  const [left, setLeft] = useState(until - now());
  useEffect(() => {
    const t = setInterval(() => setLeft(until - now()), 250);
    return () => clearInterval(t);
  }, [until]);
  const s = Math.max(0, Math.floor(left));
  return (
    <span class={`countdown ${s <= 5 ? "urgent" : ""}`} role="timer" aria-live="off" data-testid="countdown">
      {s > 0 ? `valid for ${s}s` : "expired"}
    </span>
  );
}

/** Loads `load` now and every `everyMs`; shows its refusal in words. */
export function usePoll<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = []) {
  const data = useSignal<T | null>(null);
  const error = useSignal<unknown>(null);
  const tick = useSignal(0);
  useEffect(() => {
    let live = true;
    const run = () =>
      load().then(
        (d) => {
          if (!live) return;
          data.value = d;
          error.value = null;
        },
        (e: unknown) => {
          if (live) error.value = e;
        },
      );
    void run();
    const t = setInterval(run, everyMs);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [...deps, tick.value]);
  return { data, error, reload: () => (tick.value += 1) } as {
    data: Signal<T | null>;
    error: Signal<unknown>;
    reload: () => void;
  };
}

export function Section(props: { title: string; id?: string; children: ComponentChildren; aside?: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={props.id ? `${props.id}-h` : undefined} id={props.id}>
      <header>
        <h2 id={props.id ? `${props.id}-h` : undefined}>{props.title}</h2>
        {props.aside}
      </header>
      {props.children}
    </section>
  );
}

/** A table that scrolls sideways on a narrow screen rather than squeezing its columns. */
export function Table(props: { caption?: string; head: string[]; children: ComponentChildren; testId?: string }) {
  return (
    <div class="table-wrap">
      <table data-testid={props.testId}>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
