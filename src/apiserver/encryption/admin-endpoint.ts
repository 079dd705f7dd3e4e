/**
 * Admin endpoints of secrets encryption (like k3s's `/v1-k3s/encrypt/*` on its supervisor):
 *   GET  /v1-skiff/encrypt/status      → whether encryption is on, the primary key, values per key
 *   POST /v1-skiff/encrypt/reencrypt   → re-read the key file, rewrite values not under the primary key
 * Served on the API port with the API's authentication; authorized as non-resource URLs, so
 * only users allowed `/v1-skiff/*` (system:masters under RBAC) may call them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowed } from '../../api/status.js';
import type { UserInfo } from '../authn/types.js';
import type { Attributes } from '../authz/types.js';
import { nonResourceAttributes } from '../authz/attributes.js';
import { toStatusError } from '../errors.js';
import { send, sendStatusError } from '../negotiate.js';
import type { EncryptingStorage } from './encrypting-storage.js';

export const ENCRYPT_STATUS_PATH = '/v1-skiff/encrypt/status';
export const ENCRYPT_REENCRYPT_PATH = '/v1-skiff/encrypt/reencrypt';

export interface EncryptionStatus {
  kind: 'SecretsEncryptionStatus';
  enabled: boolean;
  primaryKey?: string;
  /** Stored Secrets per key name (`identity` = plain text). */
  secretsByKey?: Record<string, number>;
}

export interface AdminGate {
  authenticate(req: IncomingMessage): Promise<UserInfo>;
  authorize(attrs: Attributes): Promise<void>;
}

/** Returns a handler that answers the admin paths and returns false for every other request. */
export function encryptionAdminHandler(storage: EncryptingStorage | undefined, gate: AdminGate): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== ENCRYPT_STATUS_PATH && path !== ENCRYPT_REENCRYPT_PATH) return false;
    void (async () => {
      try {
        const user = await gate.authenticate(req);
        await gate.authorize(nonResourceAttributes(user, req.method ?? 'GET', path));
        if (path === ENCRYPT_STATUS_PATH) {
          if (req.method !== 'GET') throw methodNotAllowed('the server does not allow this method on the requested resource');
          const status: EncryptionStatus = { kind: 'SecretsEncryptionStatus', enabled: storage !== undefined };
          if (storage) {
            const usage = await storage.keyUsage();
            status.primaryKey = usage.primaryKey;
            status.secretsByKey = usage.byKey;
          }
          return send(res, 200, status);
        }
        if (req.method !== 'POST') throw methodNotAllowed('the server does not allow this method on the requested resource');
        if (!storage) return send(res, 400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', code: 400, message: 'secrets encryption is not enabled on this server (--secrets-encryption)' });
        send(res, 200, { kind: 'SecretsReencryption', ...(await storage.reencrypt()) });
      } catch (err) {
        sendStatusError(res, toStatusError(err));
      } finally {
        req.resume();
      }
    })();
    return true;
  };
}
