// The registered rules, in one explicit sorted list (no file-system scanning).
import type { Rule } from '../rule';
import { addWithoutChecksum } from './add-without-checksum';
import { ecrMutableTags } from './ecr-mutable-tags';
import { latestTag } from './latest-tag';
import { missingDigest } from './missing-digest';
import { runtimeFetch } from './runtime-fetch';
import { runtimeInstall } from './runtime-install';
import { staleDigest } from './stale-digest';
import { variableImage } from './variable-image';
import { versionConsistencyDisabled } from './version-consistency-disabled';

export const RULES: readonly Rule[] = [
  addWithoutChecksum,
  ecrMutableTags,
  latestTag,
  missingDigest,
  runtimeFetch,
  runtimeInstall,
  staleDigest,
  variableImage,
  versionConsistencyDisabled,
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);
