// The Known Good view (`knownGood.findings`): the audit's findings grouped by rule or by file with
// counts, kept current from the server's `knownGood/findingsChanged`; clicking a finding opens it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  FINDINGS_CHANGED_NOTIFICATION,
  FINDINGS_REQUEST,
  type FindingsChangedParams,
  type FindingsParams,
  type FindingsResult,
  type ViewFinding,
} from '../../server/src/lsp/audit-protocol';
import { FindingsModel, shortMessage, type FileGroup, type GroupBy, type RuleGroup } from './findings-model';

export const VIEW_ID = 'knownGood.findings';
export const GROUP_BY_RULE_COMMAND = 'knownGood.groupByRule';
export const GROUP_BY_FILE_COMMAND = 'knownGood.groupByFile';
/** Context keys the manifest's `when` clauses read. */
const GROUP_BY_CONTEXT = 'knownGood.groupBy';
const AUDITED_CONTEXT = 'knownGood.audited';
const GROUP_BY_STATE = 'knownGood.groupBy';
/** Above this many findings, groups start collapsed. */
const EXPAND_LIMIT = 200;

/** A row of the tree. */
export type Node =
  | { kind: 'rule'; group: RuleGroup }
  | { kind: 'file'; group: FileGroup; parent?: string }
  | { kind: 'finding'; group: FileGroup; finding: ViewFinding; parent: string; index: number };

const ICONS: Record<ViewFinding['severity'], [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
  hint: ['lightbulb', 'problemsInfoIcon.foreground'],
};
const icon = (s: ViewFinding['severity']) => new vscode.ThemeIcon(ICONS[s][0], new vscode.ThemeColor(ICONS[s][1]));

/** The range of a finding as a VS Code range. */
export function rangeOf(f: ViewFinding): vscode.Range {
  return new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
}

class FindingsTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    readonly model: FindingsModel,
    public groupBy: GroupBy,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.groupBy === 'rule' ? this.model.byRule().map((group) => ({ kind: 'rule', group })) : this.model.byFile().map((group) => ({ kind: 'file', group }));
    }
    if (node.kind === 'rule') return node.group.files.map((group) => ({ kind: 'file', group, parent: `rule/${node.group.ruleId}` }));
    if (node.kind === 'file') {
      const parent = `${node.parent ?? ''}/file/${node.group.file.uri}`;
      return node.group.findings.map((finding, index) => ({ kind: 'finding', group: node.group, finding, parent, index }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const expand = this.model.total <= EXPAND_LIMIT ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    if (node.kind === 'rule') {
      const { ruleId, count, severity } = node.group;
      const item = new vscode.TreeItem(ruleId, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `rule/${ruleId}`;
      item.description = String(count);
      item.tooltip = `${ruleId}: ${count} finding${count === 1 ? '' : 's'}`;
      item.iconPath = icon(severity);
      item.contextValue = 'knownGood.rule';
      return item;
    }
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.group.label, expand);
      item.id = `${node.parent ?? ''}/file/${node.group.file.uri}`;
      // No resourceUri: its decoration would add the file's count of every problem next to ours.
      item.description = String(node.group.findings.length);
      item.tooltip = node.group.label;
      item.iconPath = vscode.ThemeIcon.File;
      item.contextValue = 'knownGood.file';
      return item;
    }
    const { finding, group } = node;
    const item = new vscode.TreeItem(shortMessage(finding.message), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.parent}/${finding.range.start.line}:${finding.range.start.character}/${finding.ruleId}/${node.index}`;
    item.description = `line ${finding.range.start.line + 1}`;
    item.tooltip = new vscode.MarkdownString().appendText(`${finding.ruleId} (${finding.severity}) · ${group.label}:${finding.range.start.line + 1}\n\n${finding.message}`);
    item.iconPath = icon(finding.severity);
    item.contextValue = 'knownGood.finding';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(group.file.uri), { selection: rangeOf(finding) } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }
}

/** The view and its synchronisation with the server. */
export class FindingsView implements vscode.Disposable {
  private readonly model = new FindingsModel();
  private readonly tree: FindingsTree;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  /** Updates run one after another, so answers apply in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: LanguageClient,
    private readonly state: vscode.Memento,
    private readonly output: vscode.OutputChannel,
  ) {
    const groupBy = state.get<GroupBy>(GROUP_BY_STATE) === 'file' ? 'file' : 'rule';
    this.tree = new FindingsTree(this.model, groupBy);
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(
      this.view,
      vscode.commands.registerCommand(GROUP_BY_RULE_COMMAND, () => this.setGroupBy('rule')),
      vscode.commands.registerCommand(GROUP_BY_FILE_COMMAND, () => this.setGroupBy('file')),
      client.onNotification(FINDINGS_CHANGED_NOTIFICATION, (p: FindingsChangedParams) => this.fetch(p.uris)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.render()),
    );
    void vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT, groupBy);
    this.render();
    this.fetch(undefined);
  }

  /** Whether a folder was audited (its results are kept current). */
  get audited(): boolean {
    return this.model.audited;
  }

  private setGroupBy(groupBy: GroupBy): void {
    this.tree.groupBy = groupBy;
    void this.state.update(GROUP_BY_STATE, groupBy);
    void vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT, groupBy);
    this.tree.refresh();
  }

  /** Ask the server for `uris` (or everything) and apply the answer. */
  private fetch(uris: string[] | undefined): void {
    this.queue = this.queue.then(async () => {
      try {
        const params: FindingsParams = uris ? { uris } : {};
        const result = await this.client.sendRequest<FindingsResult>(FINDINGS_REQUEST, params);
        this.model.apply(result, !uris);
        this.render();
      } catch (e) {
        this.output.appendLine(`Known Good view: could not get the findings: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  private render(): void {
    const total = this.model.total;
    void vscode.commands.executeCommand('setContext', AUDITED_CONTEXT, this.model.audited);
    const parts: string[] = [];
    if (!vscode.workspace.isTrusted) parts.push('Restricted Mode: pinning and registry checks are off.');
    if (this.model.folders.some((f) => f.partial)) parts.push('The audit was cancelled: the results are partial.');
    if (this.model.audited && total === 0) {
      const files = this.model.folders.reduce((n, f) => n + f.files, 0);
      parts.push(`No problems found in ${files} file${files === 1 ? '' : 's'}.`);
    }
    this.view.message = parts.length ? parts.join(' ') : undefined;
    this.view.badge = total ? { value: total, tooltip: `${total} Known Good finding${total === 1 ? '' : 's'}` } : undefined;
    this.tree.refresh();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
