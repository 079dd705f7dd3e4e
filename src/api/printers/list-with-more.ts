/**
 * Upstream shortens long lists in cells to their first few entries followed by
 * ` + N more...`.
 */
export function listWithMore(list: string[], total: number, max: number, empty: string): string {
  const shown = list.slice(0, max).join(',');
  if (total > max) return `${shown} + ${total - max} more...`;
  return shown === '' ? empty : shown;
}
