import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface Line {
  label: string;
  values: Array<number | null>;
  color: string;
  /** Plotted against the right-hand axis (its own scale). */
  right?: boolean;
}

/**
 * A time-series line chart (uPlot: canvas, ~50 KB, made for time series). `times` are unix seconds of chain
 * time. Resizes with its container, so it fits a 390 px screen.
 */
export function LineChart(props: {
  title: string;
  times: number[];
  lines: Line[];
  height?: number;
  yLabel?: string;
  rightLabel?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: props.height ?? 220,
      legend: { show: true },
      // Chain time, shown in UTC whatever the browser's zone (the rest of the page says UTC too).
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { x: { time: true }, y: {}, right: {} },
      axes: [
        { label: "chain time (UTC)", labelSize: 20 },
        { label: props.yLabel ?? "", size: 70, values: (_u, splits) => ticks(splits) },
        ...(props.rightLabel
          ? [
              {
                scale: "right",
                side: 1,
                label: props.rightLabel,
                size: 70,
                grid: { show: false },
                values: (_u: uPlot, splits: number[]) => ticks(splits),
              },
            ]
          : []),
      ],
      series: [
        {},
        ...props.lines.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: 2,
          spanGaps: true,
          scale: l.right ? "right" : "y",
          points: { show: true, size: 4 },
        })),
      ],
    };
    const data = [props.times, ...props.lines.map((l) => l.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: opts.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [props.times, props.lines]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={`${props.title}: ${props.lines.map((l) => l.label).join(", ")}`} />
    </figure>
  );
}

/** Tick labels with as many decimals as the step between ticks needs (1.0001, not 1 and 1). */
export function ticks(splits: number[]): string[] {
  const step = splits.length > 1 ? Math.abs(splits[1]! - splits[0]!) : 1;
  const decimals = step > 0 ? Math.min(8, Math.max(0, -Math.floor(Math.log10(step)))) : 0;
  return splits.map((v) => v.toFixed(decimals));
}
