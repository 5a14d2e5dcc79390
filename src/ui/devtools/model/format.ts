// Numbers and times as the list shows them.

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** '' where the time is unknown (undefined), not "0 ms". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local time of day with milliseconds: 14:03:07.215 */
export function formatTime(ms: number): string {
  if (!ms) return '';
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Hex dump lines around a byte offset, for showing where a decode went wrong. */
export function hexAround(bytes: Uint8Array, offset: number, before = 16, after = 16): string {
  const start = Math.max(0, (offset - before) & ~0xf);
  const end = Math.min(bytes.length, start + before + after + 16);
  const lines: string[] = [];
  for (let line = start; line < end; line += 16) {
    const cells: string[] = [];
    for (let i = line; i < Math.min(line + 16, end); i++) {
      const hex = bytes[i]!.toString(16).padStart(2, '0');
      cells.push(i === offset ? `[${hex}]` : ` ${hex} `);
    }
    lines.push(`${line.toString(16).padStart(8, '0')}  ${cells.join('')}`);
  }
  return lines.join('\n');
}
