/** Runs the host tools the image code relies on (tar, gcc, ctr) with readable failures. */
import { execFile } from 'node:child_process';
import { SkiffError } from '../../base/errors.js';

export class ToolError extends SkiffError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ToolFailed', message, options);
  }
}

export function runTool(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, env: opts.env ?? process.env }, (err, stdout, stderr) => {
      if (err) reject(new ToolError(`${cmd} ${args.join(' ')}: ${String(stderr).trim() || err.message}`, { cause: err }));
      else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
