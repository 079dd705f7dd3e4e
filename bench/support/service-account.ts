/**
 * Waiting for a namespace's `default` ServiceAccount: the ServiceAccount admission plugin
 * refuses pods (403) until the service account controller has created it, as upstream does.
 */
import type { Agent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { send } from './http-request.js';

export async function waitForDefaultServiceAccount(agent: Agent, base: URL, namespace: string, giveUpMs = 120_000): Promise<void> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    const r = await send(agent, base, 'GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`);
    if (r.status === 200) return;
    if (Date.now() > deadline) throw new Error(`no default ServiceAccount in ${namespace} after ${giveUpMs} ms (HTTP ${r.status})`);
    await sleep(200);
  }
}
