/**
 * Fetches a kubelet's `/stats/summary` with the apiserver's kubelet client certificate, the way
 * metrics-server scrapes each node. Only the fields the metrics API needs are typed here (the
 * kubelet's wire shape; the apiserver does not import node-agent code).
 */
import { request } from 'node:https';
import type { KubeletClientConfig } from '../proxy/connect-target.js';

interface Usage {
  time: string;
  usageNanoCores?: number;
  workingSetBytes?: number;
}

export interface KubeletSummary {
  node: { nodeName: string; cpu?: Usage; memory?: Usage };
  pods: { podRef: { name: string; namespace: string; uid: string }; containers: { name: string; cpu?: Usage; memory?: Usage }[] }[];
}

export type SummaryFetcher = (host: string, port: number) => Promise<KubeletSummary>;

const MAX_BODY = 32 << 20;

export function kubeletSummaryFetcher(kubelet: KubeletClientConfig, timeoutMs = 10_000): SummaryFetcher {
  return (host, port) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host,
          port,
          path: '/stats/summary',
          method: 'GET',
          cert: kubelet.cert,
          key: kubelet.key,
          ca: kubelet.ca,
          // Kubelet serving certificates name the node; the chain is still verified against the cluster CA.
          checkServerIdentity: () => undefined,
          timeout: timeoutMs,
          headers: { Accept: 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let n = 0;
          res.on('data', (c: Buffer) => {
            n += c.length;
            if (n > MAX_BODY) res.destroy(new Error('kubelet summary too large'));
            else chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) return reject(new Error(`kubelet ${host}:${port} answered ${res.statusCode}: ${text.slice(0, 200)}`));
            try {
              resolve(JSON.parse(text) as KubeletSummary);
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`kubelet ${host}:${port} timed out`)));
      req.on('error', reject);
      req.end();
    });
}
