/** Summary statistics and the table bench.ts prints. */

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Row {
  name: string;
  /** One value per run. */
  values: number[];
  unit: string;
  /** Shown as written, e.g. `< 5`; empty when the issue sets none. */
  target?: string;
  /** Whether a value meets the target; the median is judged. */
  meets?: (value: number) => boolean;
}

/** Formats a figure with about three significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The rows as a Markdown table: name, median, min, max, unit, target, met?. */
export function table(rows: readonly Row[]): string {
  const head = ['name', 'median', 'min', 'max', 'unit', 'target', 'met?'];
  const body = rows.map((row) => {
    const mid = median(row.values);
    const met = row.meets ? (row.meets(mid) ? 'yes' : 'NO') : '';
    return [
      row.name,
      formatNumber(mid),
      formatNumber(Math.min(...row.values)),
      formatNumber(Math.max(...row.values)),
      row.unit,
      row.target ?? '',
      met,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 0 || i >= 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= 1 && i <= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(head), rule, ...body.map(line)].join('\n');
}
