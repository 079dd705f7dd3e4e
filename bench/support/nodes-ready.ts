/** Waiting for simulated nodes to register and report Ready. */
import type { Agent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectStatus, send } from './http-request.js';

interface NodeList {
  metadata: { continue?: string };
  items: { status?: { conditions?: { type: string; status: string }[] } }[];
}

async function readyNodes(agent: Agent, base: URL): Promise<number> {
  let ready = 0;
  let cont = '';
  do {
    const q = `/api/v1/nodes?limit=1000${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const list = JSON.parse(expectStatus(await send(agent, base, 'GET', q), 200, 'list nodes').body.toString('utf8')) as NodeList;
    for (const n of list.items) if (n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready++;
    cont = list.metadata.continue ?? '';
  } while (cont);
  return ready;
}

/** Polls (once a second, at most `giveUpMs`) until `want` nodes are Ready. */
export async function waitForReadyNodes(agent: Agent, base: URL, want: number, giveUpMs = 300_000): Promise<void> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    const n = await readyNodes(agent, base);
    if (n >= want) return;
    if (Date.now() > deadline) throw new Error(`only ${n}/${want} nodes Ready after ${giveUpMs} ms`);
    await sleep(1000);
  }
}
