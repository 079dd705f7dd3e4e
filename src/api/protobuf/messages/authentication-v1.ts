/**
 * Protobuf wire facts for k8s.io/api authentication/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const authenticationV1: MessageTable = {
  BoundObjectReference: { 1: 'kind string', 2: 'apiVersion string', 3: 'name string', 4: 'uid string' },
  SelfSubjectReview: { 1: 'metadata meta.v1.ObjectMeta', 2: 'status SelfSubjectReviewStatus' },
  SelfSubjectReviewStatus: { 1: 'userInfo UserInfo' },
  TokenRequest: {
    1: 'metadata meta.v1.ObjectMeta',
    2: 'spec TokenRequestSpec',
    3: 'status TokenRequestStatus',
  },
  TokenRequestSpec: {
    1: 'audiences []string',
    3: 'boundObjectRef BoundObjectReference',
    4: 'expirationSeconds int64?',
  },
  TokenRequestStatus: { 1: 'token string!', 2: 'expirationTimestamp time' },
  TokenReview: { 1: 'metadata meta.v1.ObjectMeta', 2: 'spec TokenReviewSpec', 3: 'status TokenReviewStatus' },
  TokenReviewSpec: { 1: 'token string', 2: 'audiences []string' },
  TokenReviewStatus: {
    1: 'authenticated bool',
    2: 'user UserInfo',
    3: 'error string',
    4: 'audiences []string',
  },
  UserInfo: { 1: 'username string', 2: 'uid string', 3: 'groups []string', 4: 'extra {strings}' },
};
