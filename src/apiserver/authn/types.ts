/**
 * Authentication: who sent a request. Authenticators look at the request (client certificate,
 * bearer token, in-process identity) and answer with a user, with nothing (no credentials of
 * their kind: the next one is asked), or throw Unauthorized (credentials present but bad).
 */
import type { IncomingMessage } from 'node:http';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

/** Every authenticated user also belongs to system:authenticated (upstream adds it). */
export function withAuthenticatedGroup(u: UserInfo): UserInfo {
  return u.groups.includes('system:authenticated') ? u : { ...u, groups: [...u.groups, 'system:authenticated'] };
}
