/** Node credentials: user `system:node:<name>` in group `system:nodes` (upstream nodeidentifier). */
import type { UserInfo } from '../authn/types.js';

export const NODES_GROUP = 'system:nodes';
const NODE_USER_PREFIX = 'system:node:';

/** The node a user acts for, or undefined when the user is not a node. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  const name = user.name.slice(NODE_USER_PREFIX.length);
  return name || undefined;
}
