import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface Line {
  label: string;
  values: Array<number | null>;
  color: string;
}

/**
 * A time-series line chart (uPlot: canvas, ~50 KB, made for time series). `times` are unix seconds of chain
 * time. Resizes with its container, so it fits a 390 px screen.
 */
export function LineChart(props: { title: string; times: number[]; lines: Line[]; height?: number; yLabel?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: props.height ?? 220,
      legend: { show: true },
      scales: { x: { time: true } },
      axes: [{}, { label: props.yLabel ?? "", size: 60 }],
      series: [{}, ...props.lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, spanGaps: true }))],
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
