/** Minimal levelled logger writing one line per record to stderr. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

export function createLogger(
  opts: { level?: LogLevel; component?: string; write?: (line: string) => void } = {},
): Logger {
  const min = order[opts.level ?? (process.env.SKIFF_LOG_LEVEL as LogLevel) ?? 'info'] ?? order.info;
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const component = opts.component;
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < min) return;
    let line = `${new Date().toISOString()} ${level.toUpperCase()}${component ? ` [${component}]` : ''} ${msg}`;
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        line += ` ${k}=${v instanceof Error ? JSON.stringify(v.message) : JSON.stringify(v)}`;
      }
    }
    write(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (c) => createLogger({ ...opts, component: component ? `${component}/${c}` : c }),
  };
}

/** A logger that drops everything; for tests and benchmarks. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
