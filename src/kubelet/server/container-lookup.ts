/**
 * Finds a pod's containers and sandbox in the runtime by the labels the pod worker puts on
 * them (namespace, pod name, container name), newest pod UID first, attempts newest first.
 */
import type { CriClient } from '../cri/cri-client.js';
import type { Container } from '../cri/types.js';
import { CONTAINER_NAME, POD_NAME, POD_NAMESPACE, POD_UID } from '../pods/cri-labels.js';

/** A client-visible refusal: the HTTP code and upstream's message. */
export class StreamingError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const newestFirst = (a: { created_at: string | number }, b: { created_at: string | number }) => (BigInt(b.created_at) > BigInt(a.created_at) ? 1 : BigInt(b.created_at) < BigInt(a.created_at) ? -1 : 0);

/** The attempts of one container of the newest pod with that name, newest attempt first. */
export async function containerAttempts(cri: CriClient, namespace: string, pod: string, container: string): Promise<Container[]> {
  const list = await cri.listContainers({ label_selector: { [POD_NAMESPACE]: namespace, [POD_NAME]: pod, [CONTAINER_NAME]: container } });
  if (list.length === 0) return [];
  const uid = [...list].sort(newestFirst)[0].labels[POD_UID];
  return list
    .filter((c) => c.labels[POD_UID] === uid)
    .sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0) || newestFirst(a, b));
}

export async function runningContainer(cri: CriClient, namespace: string, pod: string, container: string): Promise<Container> {
  const c = (await containerAttempts(cri, namespace, pod, container)).find((x) => x.state === 'CONTAINER_RUNNING');
  if (!c) throw new StreamingError(404, `container not found ("${container}")`);
  return c;
}

export async function readySandboxId(cri: CriClient, namespace: string, pod: string): Promise<string> {
  const list = await cri.listPodSandbox({ state: { state: 'SANDBOX_READY' }, label_selector: { [POD_NAMESPACE]: namespace, [POD_NAME]: pod } });
  if (list.length === 0) throw new StreamingError(404, `pod "${pod}" not found`);
  return [...list].sort(newestFirst)[0].id;
}
