// A track's approval and support curves over its decision period (uPlot), with the
// referendum's current approval and support at the block it has reached.

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";
import { curvePoints, type TrackInfo } from "../governance";
import { PERBILL } from "../format";

export function Curves(props: {
  track: TrackInfo;
  /** Blocks of the decision period elapsed, if deciding. */
  at?: number;
  approval: number;
  support: number;
  /** Blocks after the decision's start at which confirmation would begin, if it would. */
  confirmAt?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { track, at, approval, support, confirmAt } = props;
  useEffect(() => {
    if (!ref.current) return;
    const period = track.decision_period;
    const approvalCurve = curvePoints(track.min_approval, period);
    const supportCurve = curvePoints(track.min_support, period);
    const xs = approvalCurve.map(([x]) => x);
    const current = at === undefined ? 0 : Math.min(at, period);
    if (!xs.includes(current)) xs.push(current);
    if (confirmAt !== undefined && !xs.includes(confirmAt)) xs.push(confirmAt);
    xs.sort((a, b) => a - b);
    const interp = (points: Array<[number, number]>, x: number) => {
      for (let i = 1; i < points.length; i++) {
        const [x0, y0] = points[i - 1];
        const [x1, y1] = points[i];
        if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
      }
      return points[points.length - 1][1];
    };
    const pct = (v: number) => (v / PERBILL) * 100;
    const data: uPlot.AlignedData = [
      xs,
      xs.map((x) => pct(interp(approvalCurve, x))),
      xs.map((x) => pct(interp(supportCurve, x))),
      xs.map((x) => (x === current ? pct(approval) : null)),
      xs.map((x) => (x === current ? pct(support) : null)),
    ];
    const width = Math.min(720, ref.current.clientWidth || 720);
    const plot = new uPlot(
      {
        width,
        height: 260,
        title: `${track.name}: thresholds over the decision period`,
        scales: { x: { time: false }, y: { range: [0, 105] } },
        legend: { live: false },
        axes: [
          { label: "blocks since the decision began" },
          { label: "%", values: (_u, ticks) => ticks.map((t) => `${t}%`) },
        ],
        series: [
          { label: "block" },
          { label: "approval needed", stroke: "#2563eb", width: 2 },
          { label: "support needed", stroke: "#db2777", width: 2 },
          { label: "approval now", stroke: "#2563eb", points: { show: true, size: 10, fill: "#2563eb" }, width: 0 },
          { label: "support now", stroke: "#db2777", points: { show: true, size: 10, fill: "#db2777" }, width: 0 },
        ],
      },
      data,
      ref.current,
    );
    return () => plot.destroy();
  }, [track, at, approval, support, confirmAt]);
  return <div ref={ref} class="chart" role="img" aria-label={`approval and support curves of track ${track.name}`} />;
}

/** A line chart of (x, y) points: a job's price over time. */
export function LineChart(props: { title: string; x: number[]; y: number[]; xLabel: string; yLabel: string; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const plot = new uPlot(
      {
        width: Math.min(720, ref.current.clientWidth || 720),
        height: 220,
        title: props.title,
        scales: { x: { time: false } },
        legend: { live: false },
        axes: [{ label: props.xLabel }, { label: props.yLabel }],
        series: [{ label: props.xLabel }, { label: props.yLabel, stroke: "#059669", width: 2 }],
      },
      [props.x, props.y],
      ref.current,
    );
    return () => plot.destroy();
  }, [props.title, props.x.join(","), props.y.join(",")]);
  return <div ref={ref} class="chart" role="img" aria-label={props.label} />;
}
