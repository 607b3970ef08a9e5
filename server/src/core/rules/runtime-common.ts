// Shared by runtime-install and runtime-fetch: walk start-time commands and entrypoint scripts.
import type { Download } from '../shell/types';
import type { CommandContext } from '../model';
import type { RuleContext } from '../rule';
import type { RelatedInfo } from '../types';

const WHEN: Record<CommandContext, string> = {
  cmd: '`CMD`',
  entrypoint: '`ENTRYPOINT`',
  healthcheck: '`HEALTHCHECK`',
  'ecs-command': 'the container `command`',
  'ecs-entrypoint': 'the container `entryPoint`',
  'ecs-healthcheck': 'the container health check',
  'compose-command': 'the service `command`',
  'compose-entrypoint': 'the service `entrypoint`',
  'compose-healthcheck': 'the service health check',
  script: 'the entrypoint script',
};

/** Report every download of `kind` in the file's start-time commands and the scripts they run. */
export function reportDownloads(ctx: RuleContext, kind: Download['kind'], describe: (d: Download, when: string) => string): void {
  for (const { command, downloads } of ctx.commandDownloads()) {
    for (const d of downloads) {
      if (d.kind !== kind) continue;
      ctx.report({
        message: describe(d, WHEN[command.context]),
        location: { file: ctx.model.file, span: d.span },
        pointer: command.pointer,
        data: downloadData(d, command.context),
      });
    }
  }
  for (const script of ctx.scriptDownloads()) {
    for (const d of script.downloads) {
      if (d.kind !== kind) continue;
      const related: RelatedInfo[] = [];
      for (const r of script.runners) {
        related.push({ location: r.runBy, message: 'The image runs this script when the container starts' });
        if (r.copiedBy) related.push({ location: r.copiedBy, message: 'The script is copied into the image here' });
      }
      ctx.report({
        message: describe(d, 'this entrypoint script'),
        location: { file: script.file, span: d.span },
        related,
        data: downloadData(d, 'script'),
      });
    }
  }
}

function downloadData(d: Download, context: CommandContext): Record<string, unknown> {
  return { tool: d.tool, ecosystem: d.ecosystem, command: d.command, packages: d.packages, context };
}
