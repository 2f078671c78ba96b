/**
 * `npx tsx scripts/code-stats.ts [--top N]`: the figures a reader of this tree cares about, from the
 * files git tracks — lines per top-level folder, and the longest functions outside tests (their
 * first to last line, so a function counts the functions it holds).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const TEST_FILE = /(\.spec|\.int-spec|\.e2e-spec|\.faults-spec)\.ts$|^test\//;
const GENERATED = /^test\/contract\/generated\//;

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
}

function linesPerFolder(files: string[]): Map<string, number> {
  const lines = new Map<string, number>();
  for (const file of files.filter((f) => /\.(ts|mjs|js)$/.test(f) && !GENERATED.test(f))) {
    const folder = file.includes('/') ? file.slice(0, file.indexOf('/')) : '(top)';
    lines.set(folder, (lines.get(folder) ?? 0) + readFileSync(file, 'utf8').split('\n').length);
  }
  return lines;
}

interface FunctionSpan {
  where: string;
  name: string;
  lines: number;
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent))
    return parent.name.getText(source);
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(source).slice(0, 40)})`;
  return '(anonymous)';
}

function functionSpans(file: string): FunctionSpan[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const spans: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      spans.push({ where: `${file}:${first}`, name: nameOf(node, source), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

function main(): void {
  const i = process.argv.indexOf('--top');
  const top = i >= 0 ? Number(process.argv[i + 1]) : 10;
  const files = trackedFiles();
  console.log('lines per top-level folder (.ts, .mjs, .js; generated client left out)');
  for (const [folder, lines] of [...linesPerFolder(files)].sort((a, b) => b[1] - a[1]))
    console.log(`  ${folder.padEnd(12)} ${String(lines).padStart(6)}`);
  const spans = files
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !TEST_FILE.test(f))
    .flatMap(functionSpans)
    .sort((a, b) => b.lines - a.lines);
  console.log(`\nthe ${top} longest functions outside tests`);
  for (const s of spans.slice(0, top)) console.log(`  ${String(s.lines).padStart(4)}  ${s.name}  ${s.where}`);
}

main();
