/**
 * DNS messages (RFC 1035, RFC 6891 for EDNS0) as plain values. Only the record types cluster
 * DNS answers are decoded into fields; any other type keeps its RDATA as raw bytes, which is
 * enough to relay or ignore it.
 */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  ANY: 255,
} as const;

export const RRClass = { IN: 1 } as const;

export const RCode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

export const OpCode = { QUERY: 0 } as const;

/** The largest UDP answer a client without EDNS0 accepts. */
export const CLASSIC_UDP_SIZE = 512;

export interface Question {
  /** Without the trailing dot; the root is ''. Case is kept as received. */
  name: string;
  type: number;
  class: number;
}

export interface SOAData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface SRVData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export type RecordData =
  | { type: typeof RRType.A | typeof RRType.AAAA; address: string }
  | { type: typeof RRType.CNAME | typeof RRType.PTR | typeof RRType.NS; target: string }
  | ({ type: typeof RRType.SOA } & SOAData)
  | ({ type: typeof RRType.SRV } & SRVData)
  | { type: typeof RRType.TXT; texts: string[] }
  | { type: number; raw: Uint8Array };

export interface ResourceRecord {
  name: string;
  class: number;
  ttl: number;
  data: RecordData;
}

export interface Edns {
  /** The requester's UDP payload size. */
  udpSize: number;
  extendedRcode: number;
  version: number;
  /** DO bit and the rest of the OPT TTL's low 16 bits. */
  flags: number;
  /** Options kept as their raw RDATA. */
  options: Uint8Array;
}

export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
}

export interface Message extends Header {
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  /** The OPT pseudo-record, held apart from `additionals`. */
  edns?: Edns;
}

export function emptyHeader(id = 0): Header {
  return { id, qr: false, opcode: OpCode.QUERY, aa: false, tc: false, rd: false, ra: false, ad: false, cd: false, rcode: RCode.NOERROR };
}

/** DNS names compare case-insensitively (RFC 4343); trailing dots are not significant. */
export function canonicalName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

export class DnsFormatError extends Error {
  readonly code = 'DNS_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'DnsFormatError';
  }
}
