/** List continue tokens: base64url JSON like upstream's `{"v":"meta.k8s.io/v1","rv":N,"start":"key"}`. */
import { badRequest } from '../../api/status.js';

export interface ContinueToken {
  rv: number;
  /** The last key returned; the next page starts after it. */
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

export function decodeContinue(s: string, prefix: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (raw.v !== 'meta.k8s.io/v1' || typeof raw.rv !== 'number' || typeof raw.start !== 'string' || raw.rv <= 0) throw new Error();
    if (raw.start.includes('..') || raw.start.startsWith('/')) throw new Error();
    return { rv: raw.rv, start: prefix + raw.start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}
