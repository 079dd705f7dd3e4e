/**
 * Sends an AdmissionReview to a webhook over HTTPS and reads the answer. `clientConfig.url` is
 * used as is; `clientConfig.service` goes to a ready endpoint of the Service (skiff has no
 * service network in the API server), verified against the name `<svc>.<ns>.svc` like upstream.
 */
import { request } from 'node:https';
import type { KubeObject } from '../../../api/object.js';
import type { CachedReader, ResourceRef } from '../lookup.js';
import type { AdmissionResponse } from './review.js';
import type { Webhook } from './matching.js';

const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services' };
const ENDPOINTS: ResourceRef = { group: '', version: 'v1', plural: 'endpoints' };

export interface Target {
  /** What error messages show (upstream shows the URL it posts to). */
  url: string;
  host: string;
  port: number;
  path: string;
  servername?: string;
}

/** Thrown when the webhook could not be called or answered nonsense; failurePolicy decides. */
export class WebhookCallError extends Error {}

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}
interface EndpointSubset {
  addresses?: { ip: string }[];
  ports?: { name?: string; port: number }[];
}

export async function resolveTarget(w: Webhook, reader: CachedReader): Promise<Target> {
  const cc = w.clientConfig;
  if (cc.url) {
    const u = new URL(cc.url);
    return { url: cc.url, host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 443), path: `${u.pathname}${u.search}` };
  }
  const svc = cc.service;
  if (!svc) throw new WebhookCallError('there is no URL or service in the client config');
  const port = svc.port ?? 443;
  const path = svc.path ?? '/';
  const url = `https://${svc.name}.${svc.namespace}.svc:${port}${path}`;
  const service = await reader.get(SERVICES, svc.namespace, svc.name, { fresh: true });
  if (!service) throw new WebhookCallError(`Post "${url}": service "${svc.name}" not found`);
  const sp = (((service.spec as { ports?: ServicePort[] } | undefined)?.ports) ?? []).find((p) => p.port === port);
  if (!sp) throw new WebhookCallError(`Post "${url}": service ${svc.namespace}/${svc.name} has no port ${port}`);
  const ep = (await reader.get(ENDPOINTS, svc.namespace, svc.name)) as (KubeObject & { subsets?: EndpointSubset[] }) | undefined;
  for (const s of ep?.subsets ?? []) {
    const p = (s.ports ?? []).find((x) => x.name === sp.name) ?? (s.ports?.length === 1 ? s.ports[0] : undefined);
    const ip = s.addresses?.[0]?.ip;
    if (p && ip) return { url, host: ip, port: p.port, path, servername: `${svc.name}.${svc.namespace}.svc` };
  }
  throw new WebhookCallError(`Post "${url}": no endpoints available for service "${svc.name}"`);
}

export function callWebhook(target: Target, caBundle: string | undefined, body: unknown, timeoutMs: number): Promise<AdmissionResponse> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const fail = (msg: string) => reject(new WebhookCallError(`Post "${target.url}": ${msg}`));
    const req = request(
      {
        host: target.host,
        port: target.port,
        path: target.path,
        method: 'POST',
        servername: target.servername ?? (isIp(target.host) ? undefined : target.host),
        ca: caBundle ? Buffer.from(caBundle, 'base64').toString('utf8') : undefined,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(data) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => fail(e.message));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) return fail(`unexpected status code ${res.statusCode}: ${text.slice(0, 200)}`);
          try {
            const review = JSON.parse(text) as { response?: AdmissionResponse };
            if (!review.response) return reject(new WebhookCallError('received invalid webhook response: response is empty'));
            resolve(review.response);
          } catch (e) {
            reject(new WebhookCallError(`received invalid webhook response: ${(e as Error).message}`));
          }
        });
      },
    );
    req.on('timeout', () => {
      req.destroy();
      fail('context deadline exceeded');
    });
    req.on('error', (e) => fail(e.message));
    req.end(data);
  });
}

function isIp(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}
