/**
 * Authorization: may this user do this? Attributes are upstream's (authorizer.Attributes):
 * resource requests carry verb/apiGroup/resource/subresource/namespace/name, the others a
 * path and an HTTP-derived verb.
 */
import type { UserInfo } from '../authn/types.js';

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** For non-resource requests. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'no-opinion';

export interface AuthorizerResult {
  decision: Decision;
  reason?: string;
}

export interface Authorizer {
  authorize(a: Attributes): Promise<AuthorizerResult>;
}

/** Allows everything: the mode before RBAC is wired in. */
export const alwaysAllow: Authorizer = {
  authorize: async () => ({ decision: 'allow' }),
};
