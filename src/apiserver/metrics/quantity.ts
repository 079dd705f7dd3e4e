/** Canonical quantity strings as metrics-server emits them (nanocores, bytes in binary units). */

/** CPU from nanocores: the largest of n/u/m/whole units that represents it exactly. */
export function cpuQuantity(nanoCores: number): string {
  let v = Math.max(0, Math.round(nanoCores));
  if (v === 0) return '0';
  for (const suffix of ['n', 'u', 'm']) {
    if (v % 1000 !== 0) return `${v}${suffix}`;
    v /= 1000;
  }
  return String(v);
}

/** Memory in bytes: Ki/Mi/Gi… while the value divides exactly, plain bytes otherwise. */
export function memoryQuantity(bytes: number): string {
  let v = Math.max(0, Math.round(bytes));
  if (v === 0) return '0';
  let unit = '';
  for (const next of ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']) {
    if (v % 1024 !== 0) break;
    v /= 1024;
    unit = next;
  }
  return `${v}${unit}`;
}
