// Public surface of the registry client used by "pin to digest".
export { resolveDigest } from './resolve';
export { DigestCache, type DigestCacheOptions } from './cache';
export { RegistrySession } from './session';
export { createStats, type FailureReason, type RequestStats, type Resolution, type ResolutionFailure, type ResolvedDigest, type ResolveOptions } from './types';
