/**
 * Revision hashes as upstream computes them (pkg/controller/history HashControllerRevision):
 * FNV-1 (32 bit) over the revision's serialized data, plus the decimal collision count when
 * one is set, rendered through the "safe" alphabet so a hash never spells a word.
 */

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

export function fnv1_32(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  // NOTE: FNV-1 (multiply, then xor), not FNV-1a: upstream uses hash/fnv.New32.
  let h = seed >>> 0;
  for (const b of bytes) {
    h = Math.imul(h, FNV32_PRIME) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h;
}

/** apimachinery rand.SafeEncodeString: each character mapped into a vowel-free alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

export function hashRevisionData(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv1_32(enc.encode(JSON.stringify(data)));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv1_32(enc.encode(String(collisionCount)), h);
  return safeEncodeString(String(h));
}
