/**
 * The layout's rules (docs/architecture.md, Layers), checked over the source tree itself:
 * - no file in src/ or libs/ passes 400 lines;
 * - the units (each library, each feature module, each top-level folder of src/) import each other
 *   without cycles, except through entities: entities are the shared data model and their relations
 *   point both ways by nature;
 * - libraries never import the application.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** libs/<lib>, src/modules/<module>, src/<folder>, or src for the files at its root. */
function unitOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'libs') return `libs/${parts[1]}`;
  if (parts[1] === 'modules') return `src/modules/${parts[2]}`;
  return parts.length > 2 ? `src/${parts[1]}` : 'src';
}

interface Import {
  from: string;
  /** Repository-relative path of the imported file, without extension. */
  to: string;
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) => {
    const specifier =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier
        ? (statement.moduleSpecifier as ts.StringLiteral).text
        : undefined;
    if (specifier === undefined) return [];
    if (specifier.startsWith('.')) return [{ from: file, to: normalize(join(dirname(file), specifier)) }];
    const lib = /^@harbour\/([a-z-]+)$/.exec(specifier);
    return lib ? [{ from: file, to: `libs/${lib[1]}/src/index` }] : [];
  });
}

const files = [...sourceFiles('src'), ...sourceFiles('libs')];
const imports = files.flatMap(importsOf);

/** Unit-level edges, each with one import that makes it (for the failure message). Entity imports do not count. */
function unitGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const { from, to } of imports) {
    const [a, b] = [unitOf(from), unitOf(to)];
    if (a === b || to.endsWith('.entity')) continue;
    if (!graph.has(a)) graph.set(a, new Map());
    graph.get(a)!.set(b, `${from} → ${to}`);
  }
  return graph;
}

/** Every cycle found by depth-first search, each as the chain of imports that closes it. */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (unit: string): void => {
    state.set(unit, 'open');
    path.push(unit);
    for (const next of graph.get(unit)?.keys() ?? []) {
      if (state.get(next) === 'open') {
        const loop = [...path.slice(path.indexOf(next)), next];
        found.push(loop.slice(1).map((to, i) => graph.get(loop[i])!.get(to)!));
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(unit, 'done');
  };
  for (const unit of [...graph.keys()].sort()) if (!state.has(unit)) visit(unit);
  return found;
}

describe('the layout', () => {
  it('has source files to check (the walk found the tree)', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(imports.length).toBeGreaterThan(500);
  });

  it(`keeps every file in src/ and libs/ within ${MAX_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('has no import cycle between units other than through entities', () => {
    expect(cycles(unitGraph())).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['src/a', new Map([['src/b', 'a.ts → b']])],
      ['src/b', new Map([['src/a', 'b.ts → a']])],
    ]);
    expect(cycles(graph)).toEqual([['a.ts → b', 'b.ts → a']]);
  });

  it('never lets a library import the application', () => {
    const fromLibs = imports.filter(({ from, to }) => from.startsWith('libs/') && !to.startsWith('libs/'));
    expect(fromLibs.map(({ from, to }) => `${from} → ${relative(ROOT, join(ROOT, to))}`)).toEqual([]);
  });
});
