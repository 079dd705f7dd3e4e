/**
 * The `pod-template-hash` label (upstream controller.ComputeHash): a 32-bit FNV-1a hash of the
 * template, salted with status.collisionCount, rendered with upstream's safe alphabet so
 * names look alike. The template is hashed as canonical JSON (sorted keys) so the value is
 * stable across restarts and processes.
 */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv32a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function computeHash(template: unknown, collisionCount?: number): string {
  let text = canonical(template);
  if (collisionCount !== undefined) text += `#${collisionCount}`;
  const sum = fnv32a(new TextEncoder().encode(text));
  return [...String(sum)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}
