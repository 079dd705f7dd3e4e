/** Containers of a pod spec (upstream validateContainers and friends). */
import { type FieldError, duplicate, forbidden, invalid, notFound, notSupported, required } from '../field-errors.js';
import { isDNS1123Label, isEnvVarName, isValidPortName, isValidPortNum } from './names.js';
import { validateResourceRequirements } from './resource-requirements.js';
import { list, rec, str, isSet } from './json-access.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const HANDLER_TYPES = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

function validatePorts(ports: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((port, i) => {
    const p = `${field}[${i}]`;
    const name = str(port.name);
    if (name) {
      for (const msg of isValidPortName(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    if (!isSet(port.containerPort)) errs.push(required(`${p}.containerPort`));
    else for (const msg of isValidPortNum(port.containerPort)) errs.push(invalid(`${p}.containerPort`, port.containerPort, msg));
    if (isSet(port.hostPort) && port.hostPort !== 0) {
      for (const msg of isValidPortNum(port.hostPort)) errs.push(invalid(`${p}.hostPort`, port.hostPort, msg));
    }
    if (!str(port.protocol)) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(port.protocol as string)) errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateEnv(env: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  list(env).forEach((e, i) => {
    const p = `${field}[${i}]`;
    const name = str(e.name) ?? '';
    if (!name) errs.push(required(`${p}.name`));
    else for (const msg of isEnvVarName(name)) errs.push(invalid(`${p}.name`, name, msg));
    if (isSet(e.valueFrom) && str(e.value)) {
      errs.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  list(mounts).forEach((m, i) => {
    const p = `${field}[${i}]`;
    const name = str(m.name) ?? '';
    if (!name) errs.push(required(`${p}.name`));
    else if (!volumes.has(name)) errs.push(notFound(`${p}.name`, name));
    const mountPath = str(m.mountPath) ?? '';
    if (!mountPath) errs.push(required(`${p}.mountPath`));
    else if (paths.has(mountPath)) errs.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    paths.add(mountPath);
  });
  return errs;
}

function validateHandler(holder: Record<string, unknown>, field: string, errs: FieldError[]): void {
  const present = HANDLER_TYPES.filter((k) => isSet(holder[k]));
  if (present.length === 0) errs.push(required(field, 'must specify a handler type'));
  present.slice(1).forEach((k) => errs.push(forbidden(`${field}.${k}`, 'may not specify more than 1 handler type')));
  const httpGet = rec(holder.httpGet);
  if (httpGet) {
    const port = httpGet.port;
    if (typeof port === 'number') for (const msg of isValidPortNum(port)) errs.push(invalid(`${field}.httpGet.port`, port, msg));
    else if (typeof port === 'string') for (const msg of isValidPortName(port)) errs.push(invalid(`${field}.httpGet.port`, port, msg));
    else errs.push(required(`${field}.httpGet.port`));
    if (isSet(httpGet.scheme) && !['HTTP', 'HTTPS'].includes(String(httpGet.scheme))) {
      errs.push(notSupported(`${field}.httpGet.scheme`, httpGet.scheme, ['HTTP', 'HTTPS']));
    }
  }
}

function validateProbe(probe: unknown, field: string, mustSucceedOnce: boolean): FieldError[] {
  const pr = rec(probe);
  if (!pr) return [];
  const errs: FieldError[] = [];
  validateHandler(pr, field, errs);
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(pr[key], `${field}.${key}`));
  }
  if (mustSucceedOnce && isSet(pr.successThreshold) && pr.successThreshold !== 1) {
    errs.push(invalid(`${field}.successThreshold`, pr.successThreshold, 'must be 1'));
  }
  return errs;
}

export interface ContainerContext {
  volumes: Set<string>;
  /** Names already used by other containers of the pod. */
  names: Set<string>;
  /** Regular containers take probes; init and ephemeral containers mostly do not. */
  regular: boolean;
}

export function validateContainer(c: Record<string, unknown>, field: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name) ?? '';
  if (!name) errs.push(required(`${field}.name`));
  else {
    for (const msg of isDNS1123Label(name)) errs.push(invalid(`${field}.name`, name, msg));
    if (ctx.names.has(name)) errs.push(duplicate(`${field}.name`, name));
    ctx.names.add(name);
  }
  if (!str(c.image)?.trim()) errs.push(required(`${field}.image`));
  const policy = c.imagePullPolicy;
  if (!str(policy)) errs.push(required(`${field}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(policy as string)) errs.push(notSupported(`${field}.imagePullPolicy`, policy, PULL_POLICIES));
  errs.push(...validatePorts(c.ports, `${field}.ports`));
  errs.push(...validateEnv(c.env, `${field}.env`));
  errs.push(...validateVolumeMounts(c.volumeMounts, ctx.volumes, `${field}.volumeMounts`));
  errs.push(...validateResourceRequirements(c.resources, `${field}.resources`));
  if (ctx.regular) {
    errs.push(...validateProbe(c.livenessProbe, `${field}.livenessProbe`, true));
    errs.push(...validateProbe(c.readinessProbe, `${field}.readinessProbe`, false));
    errs.push(...validateProbe(c.startupProbe, `${field}.startupProbe`, true));
  }
  const policyTerm = c.terminationMessagePolicy;
  if (isSet(policyTerm) && !['File', 'FallbackToLogsOnError'].includes(String(policyTerm))) {
    errs.push(notSupported(`${field}.terminationMessagePolicy`, policyTerm, ['File', 'FallbackToLogsOnError']));
  }
  return errs;
}
