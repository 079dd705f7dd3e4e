/**
 * A namespace's `default` ServiceAccount: the ServiceAccount admission plugin refuses pods
 * (403) until it exists. The service account controller creates it, but on a server busy
 * registering thousands of simulated nodes that can take minutes, so the benchmark creates
 * it itself (an existing one, 409, is fine) — the same object the controller would write.
 */
import type { Agent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectStatus, send } from './http-request.js';

export async function ensureDefaultServiceAccount(agent: Agent, base: URL, namespace: string): Promise<void> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } });
  expectStatus(await send(agent, base, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, body), [201, 409], `create serviceaccount ${namespace}/default`);
}

/** Polls (every 200 ms, at most `giveUpMs`) until the controller has created it. */
export async function waitForDefaultServiceAccount(agent: Agent, base: URL, namespace: string, giveUpMs = 120_000): Promise<void> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    const r = await send(agent, base, 'GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`);
    if (r.status === 200) return;
    if (Date.now() > deadline) throw new Error(`no default ServiceAccount in ${namespace} after ${giveUpMs} ms (HTTP ${r.status})`);
    await sleep(200);
  }
}
