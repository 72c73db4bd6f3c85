// Plain-text rendering for benchmark reports: fixed-width columns that read well in a
// terminal and paste cleanly into an issue.

export type Align = "left" | "right";

export interface Column {
  readonly title: string;
  readonly align: Align;
}

/** Renders rows under a header line, each column padded to its widest cell. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(column.title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? "";
        const width = widths[i]!;
        return column.align === "right" ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(columns.map((c) => c.title)), rule, ...rows.map(line)].join("\n");
}

/** 1234567.8 -> "1,234,568" */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Microseconds with three significant digits: 2.91, 46.6, 215. */
export function formatMicros(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A ratio such as 1.07x. */
export function formatRatio(value: number): string {
  return `${value.toFixed(2)}x`;
}

/** A percentage: 6.23 -> "6.2%". */
export function formatPct(value: number): string {
  return `${value.toFixed(1)}%`;
}
