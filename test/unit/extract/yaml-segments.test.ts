// The YAML parse reused between versions of a file (parseYaml with a cache key) gives the trees of
// the whole parse: spans, values, tags and sources, on cut-friendly files, edits, and files it must not cut.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DNode } from '../../../server/src/core/extract/doc-tree';
import { parseYaml, parseYamlSegments, type YamlParse } from '../../../server/src/core/extract/yaml-source';
import { analyze } from '../../../server/src/core/analyze';
import { initParsers } from '../../../server/src/core/treesitter';
import { plain } from './plain-tree';


let keys = 0;

/** The cut parse of `text` (after `before`, when given, for the same file), or undefined when it did not cut. */
function cut(text: string, before?: string): YamlParse | undefined {
  const key = `file-${++keys}.yaml`;
  if (before !== undefined) parseYamlSegments(before, key);
  return parseYamlSegments(text, key);
}

function assertSame(text: string, before?: string): void {
  const whole = parseYaml(text);
  const parts = cut(text, before);
  assert.ok(parts, 'the text was not cut');
  assert.deepEqual(whole.problems, []);
  assert.equal(JSON.stringify(plain(parts.docs)), JSON.stringify(plain(whole.docs)));
}

const TEMPLATE = `# A template
AWSTemplateFormatVersion: '2010-09-09'
Description: >-
  Several
  lines
Parameters:   # the inputs
  # comment before the first
  Tag:
    Type: String
    Default: '1.0'

Resources:
  Repo:
    Type: AWS::ECR::Repository # trailing
    Properties:
      RepositoryName: !Sub "\${AWS::StackName}-repo"
      # indented comment
  # comment between resources
# column-0 comment inside Resources

  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app
          Image: !Join [':', [!GetAtt Repo.RepositoryUri, !Ref Tag]]
          Command: ["sh", "-c", "apt-get update && curl -fsSL https://x.example/i.sh | sh"]
          EntryPoint: !If
            - IsProd
            - [a]
            - !Ref AWS::NoValue
          Environment:
            - { Name: A, Value: "x\\ty" }
            - Name: 'B'
              Value: 'it''s'
      UserData: |+
        #!/bin/sh
        echo hi

      Script: |2
          indented
         less
  Last: 12
Outputs:
  Uri:
    Value: !GetAtt Repo.RepositoryUri
    # trailing comment at the end
  # and another
`;

describe('yaml segments: the same trees as the whole parse', () => {
  test('a template with comments everywhere, tags, block scalars and flow collections', () => assertSame(TEMPLATE));

  test('CRLF line endings and no final newline', () => assertSame(TEMPLATE.replace(/\n/g, '\r\n').trimEnd()));

  test('a document start marker before the content', () => {
    assertSame(`---\n${TEMPLATE}`);
    assertSame(`# head\n--- # start\n\n${TEMPLATE}`);
  });

  test('a compose file', () =>
    assertSame(`services:
  web:
    image: "nginx:\${TAG:-1.25}"
    command: ["sh", "-c", "echo $$HOME"]
  worker:
    image: alpine
    healthcheck:
      test: ["CMD-SHELL", "wget -q http://localhost || exit 1"]
volumes:
  data: {}
`));

  test('anchors without aliases are cut; keys that are numbers, quoted, or repeated', () =>
    assertSame(`Mappings:
  Regions:
    1: { a: &x 1 }
    "two": b
    'three': c
    1: again
Resources: {}
`));

  test('edits: each version is the whole parse of that version', () => {
    const key = `file-${++keys}.yaml`;
    const versions = [
      TEMPLATE,
      TEMPLATE.replace('Default: \'1.0\'', 'Default: \'1.01\''),
      TEMPLATE.replace('  Last: 12\n', '  Last: 12\n  Added:\n    Type: X\n'),
      TEMPLATE.replace('  Last: 12\n', ''),
      TEMPLATE.replace('Outputs:', 'Outputs2:'),
      TEMPLATE,
    ];
    for (const v of versions) {
      const parts = parseYamlSegments(v, key);
      assert.ok(parts);
      assert.equal(JSON.stringify(plain(parts.docs)), JSON.stringify(plain(parseYaml(v).docs)));
    }
  });

  test('segments taken from a whole parse serve the next version', () => {
    const key = `file-${++keys}.yaml`;
    const edited = TEMPLATE.replace('Value: \'it\'\'s\'', 'Value: \'it is\'');
    // First parse: whole; the same text again: whole; another text: whole, its segments taken.
    for (const v of [TEMPLATE, TEMPLATE, `${TEMPLATE}\n`]) assert.equal(JSON.stringify(plain(parseYaml(v, key))), JSON.stringify(plain(parseYaml(v))));
    for (const v of [edited, TEMPLATE, `# new\n${edited}`]) {
      const parts = parseYamlSegments(v, key);
      assert.ok(parts);
      assert.equal(JSON.stringify(plain(parts.docs)), JSON.stringify(plain(parseYaml(v).docs)));
    }
  });

  test('analyze() through the cache: the same findings on every version', async () => {
    await initParsers();
    const file = `infra-${++keys}/template.yaml`;
    let text = TEMPLATE;
    for (let i = 0; i < 6; i++) {
      text = i % 2 ? text.replace("it''s", "it''s0") : text.replace("it''s0", "it''s");
      const cached = analyze({ file, text });
      const other = `fresh-${++keys}/template.yaml`;
      const fresh = analyze({ file: other, text });
      assert.ok(cached.findings.length > 2);
      assert.equal(JSON.stringify(cached.findings), JSON.stringify(fresh.findings).split(other).join(file));
    }
  });
});

describe('yaml segments: files that are parsed whole', () => {
  const notCut: [string, string][] = [
    ['a syntax error', 'A: 1\nB: [1,\nC: 2\n'],
    ['an alias', 'A: &a 1\nB: *a\n'],
    ['a merge key', 'A:\n  x: 1\n  <<: {y: 2}\n'],
    ['a document marker', 'A: 1\n---\nB: 2\n'],
    ['a directive', '%YAML 1.2\n---\nA: 1\n'],
    ['two document start markers', '---\n---\nA: 1\n'],
    ['content after the document start marker', '--- !Tag\nA: 1\n'],
    ['a tab in indentation', 'A:\n\tB: 1\n'],
    ['a byte-order mark inside', 'A: 1\n\ufeffB: 2\n'],
    ['a root sequence', '- a\n- b\n'],
    ['an indented root', '  A: 1\n  B: 2\n'],
    ['a flow collection across root keys', 'A: [1,\n2]\nB: 1\n'],
    ['a quoted scalar across root keys', 'A: "x\ny"\nB: 1\n'],
    ['a lone carriage return', 'A: 1\rB: 2\n'],
  ];
  for (const [name, text] of notCut) {
    test(name, () => {
      assert.equal(cut(text), undefined);
      // …and parseYaml with a key still gives the whole parse.
      const key = `k-${++keys}`;
      parseYaml(text, key);
      const again = parseYaml(`${text}\n`, key);
      assert.equal(JSON.stringify(plain(again)), JSON.stringify(plain(parseYaml(`${text}\n`))));
    });
  }

  test('an entry cut in two by a line at its indentation falls back to the whole entry', () =>
    assertSame(`Resources:
  A:
    Description: plain
  B:
  - x
Other: 1
`));
});

describe('yaml segments: DNode kinds survive the move', () => {
  test('every kind of node', () => {
    const text = 'A:\n  s: str\n  n: 1\n  b: true\n  z: null\n  t: !Ref X\n  l: [1, "two"]\n  m: {k: v}\n';
    const parts = cut(text, `${text}B: 1\n`);
    assert.ok(parts);
    const a = (parts.docs[0] as DNode & { kind: 'map' }).entries[0].value as DNode & { kind: 'map' };
    assert.deepEqual(
      a.entries.map((e) => e.value?.kind),
      ['string', 'scalar', 'scalar', 'scalar', 'string', 'seq', 'map'],
    );
  });
});
