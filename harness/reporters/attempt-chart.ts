/**
 * The S1.1-04 attempt timeline as an inline SVG: when each attempt started (x) and how long the device
 * took to answer (y), coloured by outcome. Built from numbers and fixed words only, so it is safe markup.
 */

interface Point {
  startMs: number;
  latencyMs: number;
  outcome: string;
  phase: string;
}

const COLOURS: Record<string, string> = { rejected: '#5b6b7a', locked: '#d97706', accepted: '#b91c1c', error: '#111111' };
const OUTCOMES = Object.keys(COLOURS);
const WIDTH = 640;
const HEIGHT = 240;
const PAD = { left: 56, right: 12, top: 12, bottom: 58 };

function points(timeline: unknown): Point[] {
  if (!Array.isArray(timeline)) return [];
  return timeline.flatMap((raw) => {
    const p = raw as Record<string, unknown>;
    const startMs = Number(p.startMs);
    const latencyMs = Number(p.latencyMs);
    if (!Number.isFinite(startMs) || !Number.isFinite(latencyMs)) return [];
    const outcome = OUTCOMES.includes(String(p.outcome)) ? String(p.outcome) : 'error';
    const phase = ['baseline', 'burst', 'parallel', 'confirm', 'recovery'].includes(String(p.phase)) ? String(p.phase) : 'burst';
    return [{ startMs: Math.max(0, startMs), latencyMs: Math.max(0, latencyMs), outcome, phase }];
  });
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= value)!;
}

/** SVG markup for an evidence item's `data.timeline`, or '' when there is nothing to draw. */
export function renderAttemptChart(timeline: unknown): string {
  const data = points(timeline);
  if (data.length === 0) return '';
  const xMax = niceMax(Math.max(...data.map((p) => p.startMs + p.latencyMs)) / 1000);
  const yMax = niceMax(Math.max(...data.map((p) => p.latencyMs)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (ms: number) => (PAD.left + (ms / 1000 / xMax) * plotW).toFixed(1);
  const y = (ms: number) => (PAD.top + plotH - (ms / yMax) * plotH).toFixed(1);
  const marks = data.map((p) => {
    const colour = COLOURS[p.outcome];
    // A bar from the attempt's start to its answer shows both when it began and how long it took.
    const bar = `<line x1="${x(p.startMs)}" x2="${x(p.startMs + p.latencyMs)}" y1="${y(p.latencyMs)}" y2="${y(p.latencyMs)}" stroke="${colour}" stroke-width="1"/>`;
    const mark = p.phase === 'parallel'
      ? `<rect x="${(Number(x(p.startMs)) - 3).toFixed(1)}" y="${(Number(y(p.latencyMs)) - 3).toFixed(1)}" width="6" height="6" fill="${colour}"/>`
      : `<circle cx="${x(p.startMs)}" cy="${y(p.latencyMs)}" r="${p.phase === 'burst' ? 3 : 5}" fill="${p.phase === 'burst' ? colour : 'none'}" stroke="${colour}" stroke-width="2"/>`;
    return bar + mark;
  });
  const ticks = [0, 0.5, 1].map((f) => `<text x="${PAD.left - 6}" y="${y(yMax * f)}" text-anchor="end" dominant-baseline="middle">${Math.round(yMax * f)}</text>`);
  const xTicks = [0, 0.5, 1].map((f) => `<text x="${x(xMax * f * 1000)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${+(xMax * f).toFixed(2)}</text>`);
  const legend = OUTCOMES.map((o, i) => `<circle cx="${PAD.left + 8 + i * 90}" cy="${HEIGHT - 8}" r="4" fill="${COLOURS[o]}"/><text x="${PAD.left + 16 + i * 90}" y="${HEIGHT - 4}">${o}</text>`);
  return `<svg class="attempt-chart" role="img" aria-label="Attempt timeline: start time against answer time" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-size="11" font-family="sans-serif">
<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>
${ticks.join('')}${xTicks.join('')}
<text x="${PAD.left + plotW / 2}" y="${HEIGHT - PAD.bottom + 30}" text-anchor="middle">seconds since the first attempt (● one at a time, ■ in parallel, ○ correct credential)</text>
<text transform="translate(12 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">answer time (ms)</text>
${marks.join('\n')}
${legend.join('')}
</svg>`;
}
