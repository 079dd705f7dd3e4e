/** A raw watch request whose newline-delimited events are handed over line by line. */
import { request, type Agent } from 'node:https';

export interface WatchStream {
  close(): void;
}

/** Resolves once the response headers (status 200) have arrived. */
export function openWatch(agent: Agent, base: URL, path: string, onLine: (line: string) => void): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: base.hostname, port: base.port, method: 'GET', path, headers: { Accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let partial = '';
      res.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const l of lines) if (l !== '') onLine(l);
      });
      res.on('error', () => undefined);
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}
