/**
 * Identity of in-process components: the in-process transport marks its requests, and only
 * marked requests may name their user in headers. Requests over the network never are.
 */
import type { IncomingMessage } from 'node:http';
import { isInProcessRequest } from '../../client/transport.js';
import type { Authenticator, UserInfo } from './types.js';

export const inProcessAuthenticator: Authenticator = {
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    if (!isInProcessRequest(req)) return undefined;
    const name = req.headers['x-skiff-in-process-user'];
    if (typeof name !== 'string' || !name) return undefined;
    const groups = String(req.headers['x-skiff-in-process-groups'] ?? '').split(',').filter(Boolean);
    return { name, groups };
  },
};
