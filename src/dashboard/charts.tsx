/**
 * Small inline-SVG charts. Each is an image with a spoken summary (`role="img"`, `aria-label`)
 * followed by the same numbers as a visually hidden table, so nothing is only visible.
 */
import type { ComponentChildren } from 'preact';
import { useI18n } from './i18n.js';

export interface Point {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly value: number | null;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 40 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

/** A round top for the y axis: 1, 2, 5, 10, 20, 50, … at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

function Axes(props: { points: readonly Point[]; top: number; format: (v: number) => string }) {
  const ticks = [0, props.top / 2, props.top];
  const every = Math.max(1, Math.ceil(props.points.length / 6));
  const xOf = (i: number) => PAD.left + ((i + 0.5) * PLOT_W) / Math.max(1, props.points.length);
  return (
    <g class="axes" aria-hidden="true">
      {ticks.map((tick) => {
        const y = PAD.top + PLOT_H - (tick / props.top) * PLOT_H;
        return (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} class="grid" />
            <text x={PAD.left - 6} y={y + 4} text-anchor="end">
              {props.format(tick)}
            </text>
          </g>
        );
      })}
      {props.points.map((p, i) =>
        i % every === 0 ? (
          <text key={p.date} x={xOf(i)} y={HEIGHT - 8} text-anchor="middle">
            {p.date.slice(5)}
          </text>
        ) : null,
      )}
    </g>
  );
}

function HiddenTable(props: {
  title: string;
  points: readonly Point[];
  valueLabel: string;
  format: (v: number | null) => string;
}) {
  const { t } = useI18n();
  return (
    <table class="visually-hidden">
      <caption>{t('overview.table', { title: props.title })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('overview.date')}</th>
          <th scope="col">{props.valueLabel}</th>
        </tr>
      </thead>
      <tbody>
        {props.points.map((p) => (
          <tr key={p.date}>
            <th scope="row">{p.date}</th>
            <td>{props.format(p.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The frame every chart shares: caption, the image with its summary, the hidden table. */
function Chart(props: {
  title: string;
  summary: string;
  points: readonly Point[];
  valueLabel: string;
  format: (v: number | null) => string;
  children: ComponentChildren;
}) {
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={props.summary}>
        {props.children}
      </svg>
      <HiddenTable
        title={props.title}
        points={props.points}
        valueLabel={props.valueLabel}
        format={props.format}
      />
    </figure>
  );
}

export function BarChart(props: {
  title: string;
  summary: string;
  points: readonly Point[];
  valueLabel: string;
  format: (v: number) => string;
}) {
  const max = niceMax(Math.max(0, ...props.points.map((p) => p.value ?? 0)));
  const slot = PLOT_W / Math.max(1, props.points.length);
  return (
    <Chart {...props} format={(v) => (v === null ? '—' : props.format(v))}>
      <Axes points={props.points} top={max} format={props.format} />
      <g class="bars" aria-hidden="true">
        {props.points.map((p, i) => {
          const h = ((p.value ?? 0) / max) * PLOT_H;
          return (
            <rect
              key={p.date}
              x={PAD.left + i * slot + slot * 0.15}
              y={PAD.top + PLOT_H - h}
              width={slot * 0.7}
              height={h}
            />
          );
        })}
      </g>
    </Chart>
  );
}

/** A line over values in 0..1; a day without a value breaks the line. */
export function RateChart(props: {
  title: string;
  summary: string;
  points: readonly Point[];
  valueLabel: string;
  format: (v: number | null) => string;
}) {
  const slot = PLOT_W / Math.max(1, props.points.length);
  const xy = (i: number, v: number) =>
    [PAD.left + (i + 0.5) * slot, PAD.top + PLOT_H - v * PLOT_H] as const;
  const segments: string[][] = [[]];
  props.points.forEach((p, i) => {
    if (p.value === null) {
      if (segments.at(-1)!.length > 0) segments.push([]);
      return;
    }
    const [x, y] = xy(i, p.value);
    segments.at(-1)!.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  return (
    <Chart {...props}>
      <Axes points={props.points} top={1} format={(v) => props.format(v)} />
      <g class="line" aria-hidden="true">
        {segments
          .filter((s) => s.length > 0)
          .map((s) => (
            <polyline key={s[0]} points={s.join(' ')} />
          ))}
        {props.points.map((p, i) => {
          if (p.value === null) return null;
          const [x, y] = xy(i, p.value);
          return <circle key={p.date} cx={x} cy={y} r={3} />;
        })}
      </g>
    </Chart>
  );
}
