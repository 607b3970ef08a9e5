// Test-only hook, read by the CLI audit and the language server (never by the core): with
// KG_TEST_THROWING_RULE=<rule id>[@<marker>] that rule throws (on files containing <marker>, if given),
// so tests can prove a failing rule costs one internal error for that file and nothing else.
import type { Rule } from './core/rule';
import { RULES } from './core/rules';

/** The rules to run: the registered ones, or with the hook set, one of them replaced by a rule that throws. */
export function rulesUnderTest(env: NodeJS.ProcessEnv = process.env): readonly Rule[] | undefined {
  const spec = env.KG_TEST_THROWING_RULE;
  if (!spec) return undefined;
  const [id, marker] = spec.split('@');
  return RULES.map((r) =>
    r.meta.id !== id
      ? r
      : {
          meta: r.meta,
          check(ctx) {
            if (marker && !ctx.model.text.includes(marker)) return r.check(ctx);
            throw new Error(`rule ${id} forced to throw by KG_TEST_THROWING_RULE`);
          },
        },
  );
}
