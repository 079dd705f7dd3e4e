/** The v1 Probe as the agent reads it (plain JSON from the API). */
export interface Probe {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** What one probe attempt said; `output` is what upstream puts in the Unhealthy event. */
export interface ProbeOutcome {
  ok: boolean;
  output: string;
}

/** The probe's fields with upstream's defaults applied. */
export function probeTiming(p: Probe): { initialDelayMs: number; periodMs: number; timeoutSeconds: number; successThreshold: number; failureThreshold: number } {
  return {
    initialDelayMs: Math.max(0, p.initialDelaySeconds ?? 0) * 1000,
    periodMs: Math.max(1, p.periodSeconds ?? 10) * 1000,
    timeoutSeconds: Math.max(1, p.timeoutSeconds ?? 1),
    successThreshold: Math.max(1, p.successThreshold ?? 1),
    failureThreshold: Math.max(1, p.failureThreshold ?? 3),
  };
}
