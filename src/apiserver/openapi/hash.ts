import { createHash } from 'node:crypto';

/** Content hash of a served document, as upstream spells it: SHA-512, upper-case hex. */
export function documentHash(serialized: string | Buffer): string {
  return createHash('sha512').update(serialized).digest('hex').toUpperCase();
}
