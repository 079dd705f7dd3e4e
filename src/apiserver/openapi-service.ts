/**
 * Serves /openapi/v2 and /openapi/v3 from documents built on first request and rebuilt when
 * the resource table changes. v3 documents are addressed by content hash, so clients may
 * cache them forever (upstream marks hashed URLs immutable).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceTable } from '../api/resources/table.js';
import type { TypeRegistry } from '../api/schema/types.js';
import { StatusError } from '../api/status.js';
import { buildOpenAPIV2 } from './openapi/v2.js';
import { buildOpenAPIV3, type OpenAPIV3 } from './openapi/v3.js';
import { documentHash } from './openapi/hash.js';
import { GIT_VERSION } from './version.js';

export class OpenAPIService {
  private v3: OpenAPIV3 | undefined;
  private v3IndexJson: string | undefined;
  private v2: { json: string; etag: string } | undefined;

  constructor(
    private readonly table: ResourceTable,
    private readonly types: () => TypeRegistry,
  ) {}

  invalidate(): void {
    this.v3 = undefined;
    this.v3IndexJson = undefined;
    this.v2 = undefined;
  }

  serve(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/openapi/v2') {
      this.v2 ??= (() => {
        const json = JSON.stringify(buildOpenAPIV2(this.table.all(), this.types(), { version: GIT_VERSION }));
        return { json, etag: `"${documentHash(json)}"` };
      })();
      return this.write(req, res, this.v2.json, this.v2.etag, false);
    }
    if (path === '/openapi/v3') {
      const v3 = this.build();
      this.v3IndexJson ??= JSON.stringify(v3.index);
      return this.write(req, res, this.v3IndexJson, `"${documentHash(this.v3IndexJson)}"`, false);
    }
    if (path.startsWith('/openapi/v3/')) {
      const key = path.slice('/openapi/v3/'.length);
      const doc = this.build().documents.get(key);
      if (!doc) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
      const hash = url.searchParams.get('hash');
      return this.write(req, res, doc.json, `"${doc.hash}"`, hash === doc.hash);
    }
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }

  private build(): OpenAPIV3 {
    this.v3 ??= buildOpenAPIV3(this.table.all(), this.types());
    return this.v3;
  }

  private write(req: IncomingMessage, res: ServerResponse, json: string, etag: string, immutable: boolean): void {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      ETag: etag,
      Vary: 'Accept',
      'Cache-Control': immutable ? 'public, immutable' : 'no-cache, private',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(Buffer.byteLength(json)) });
    res.end(json);
  }
}
