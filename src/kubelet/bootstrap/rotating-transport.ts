/**
 * A transport whose client certificate can be replaced while the agent runs. Like upstream's
 * kubelet, the old connections are closed on rotation so long-running watches reconnect with
 * the new certificate instead of riding the old one until it expires.
 */
import { HttpsTransport, type HttpsCredentials, type Transport, type TransportRequest, type TransportResponse } from '../../client/transport.js';

export class RotatingTransport implements Transport {
  private current: HttpsTransport;
  constructor(creds: HttpsCredentials) {
    this.current = new HttpsTransport(creds);
  }
  request(req: TransportRequest): Promise<TransportResponse> {
    return this.current.request(req);
  }
  replace(creds: HttpsCredentials): void {
    const old = this.current;
    this.current = new HttpsTransport(creds);
    old.close();
  }
  close(): void {
    this.current.close();
  }
}
