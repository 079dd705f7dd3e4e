/**
 * Static tokens (upstream --token-auth-file, authenticator/token/tokenfile): a CSV file of
 * `token,user,uid[,"group1,group2"]`, read once when the server starts.
 */
import { readFile } from 'node:fs/promises';
import type { UserInfo } from './types.js';

/** Splits one CSV record: commas separate, double quotes group, `""` is a literal quote. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trimStart());
}

/** Parses the file's text; throws naming the line for records with fewer than 3 columns. */
export function parseTokenFile(text: string, file = 'token file'): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const f = csvFields(line);
    if (f.length < 3) throw new Error(`token file '${file}' must have at least 3 columns (token, user name, user uid), found ${f.length} on line ${i + 1}`);
    const [token, name, uid] = f;
    if (!token) return;
    const groups = f.length > 3 ? f[3].split(',').map((g) => g.trim()).filter(Boolean) : [];
    tokens.set(token, { name, uid, groups });
  });
  return tokens;
}

export async function loadTokenFile(path: string): Promise<Map<string, UserInfo>> {
  return parseTokenFile(await readFile(path, 'utf8'), path);
}

export function staticTokenUser(tokens: Map<string, UserInfo>): (token: string) => Promise<UserInfo | undefined> {
  return async (token) => {
    const u = tokens.get(token);
    return u && { ...u, groups: [...u.groups] };
  };
}
