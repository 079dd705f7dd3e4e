import type { Agent } from 'node:https';
import { expectStatus, send } from './http-request.js';
import { namespaceJson } from './objects.js';

/** Creates the namespace; an existing one (409) is fine. */
export async function ensureNamespace(agent: Agent, base: URL, name: string): Promise<void> {
  expectStatus(await send(agent, base, 'POST', '/api/v1/namespaces', namespaceJson(name)), [201, 409], `create namespace ${name}`);
}
