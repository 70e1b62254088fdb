/**
 * The public API of the library, read from its entry point with the TypeScript compiler:
 * every export with its kind and TSDoc summary, and the documented members of its classes
 * and interfaces. `npm run docs:api` writes it to docs/api.md; a unit test checks that every
 * export is documented and that docs/api.md is current.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';

/** The repository: the first folder up from here that holds the library's sources. */
function repositoryRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'libs', 'pushpage', 'src', 'index.ts'))) return dir;
  }
  throw new Error('cannot find libs/pushpage/src/index.ts above this file');
}

const ROOT = repositoryRoot();
const SOURCES = join(ROOT, 'libs', 'pushpage', 'src');
const ENTRY = join(SOURCES, 'index.ts');
/** The `pushpage/testing` entry point (not listed in docs/api.md; its exports are checked). */
export const TESTING_ENTRY = join(SOURCES, 'testing', 'index.ts');
/** Where the reference is written. */
export const API_DOC = join(ROOT, 'docs', 'api.md');

/** One documented member of an exported class or interface. */
export interface ApiMember {
  name: string;
  summary: string;
}

/** One export of the entry point. */
export interface ApiExport {
  name: string;
  kind: 'class' | 'function' | 'interface' | 'type' | 'constant' | 'enum';
  /** The source file, relative to libs/pushpage/src. */
  file: string;
  /** The TSDoc text ('' when there is none). */
  doc: string;
  members: ApiMember[];
}

function kindOf(declaration: ts.Declaration): ApiExport['kind'] {
  if (ts.isClassDeclaration(declaration)) return 'class';
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isInterfaceDeclaration(declaration)) return 'interface';
  if (ts.isTypeAliasDeclaration(declaration)) return 'type';
  if (ts.isEnumDeclaration(declaration)) return 'enum';
  return 'constant';
}

function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts
    .displayPartsToString(symbol.getDocumentationComment(checker))
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`')
    .trim();
}

function isPublicMember(declaration: ts.Declaration | undefined): boolean {
  if (!declaration) return false;
  const flags = ts.getCombinedModifierFlags(declaration);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  if (ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal')) return false;
  const name = ts.getNameOfDeclaration(declaration);
  return !name || !ts.isPrivateIdentifier(name);
}

function membersOf(symbol: ts.Symbol, checker: ts.TypeChecker): ApiMember[] {
  const members: ApiMember[] = [];
  const add = (member: ts.Symbol) => {
    const summary = docOf(member, checker)
      .split(/\n\s*\n/)[0]
      .replace(/\s+/g, ' ');
    if (summary && isPublicMember(member.declarations?.[0]) && member.name !== '__constructor') {
      members.push({ name: member.name, summary });
    }
  };
  symbol.members?.forEach(add);
  symbol.exports?.forEach((member) => {
    if (member.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Property)) add(member);
  });
  return members.sort((a, b) => a.name.localeCompare(b.name));
}

/** Every export of an entry point (the library's main one), in the order it lists them. */
export function readApi(entryFile = ENTRY): ApiExport[] {
  const program = ts.createProgram([entryFile], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    experimentalDecorators: true,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(entryFile);
  const moduleSymbol = entry && checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) throw new Error(`cannot read ${entryFile}`);
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    if (!declaration) throw new Error(`${exported.name} has no declaration`);
    const file = relative(SOURCES, declaration.getSourceFile().fileName);
    const withMembers =
      ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration);
    return {
      name: exported.name,
      kind: kindOf(declaration),
      file: file.split(sep).join('/'),
      doc: docOf(symbol, checker),
      members: withMembers ? membersOf(symbol, checker) : [],
    };
  });
}

/** Areas of the API, by the folder its source lives in. */
const AREAS: [string, string][] = [
  ['pushpage.module.ts', 'Module'],
  ['module-definition.ts', 'Module'],
  ['options.ts', 'Module'],
  ['routing.ts', 'Module'],
  ['store/', 'Module'],
  ['assets/', 'Module'],
  ['edges/http/page', 'Pages'],
  ['sessions/', 'Pages'],
  ['model/', 'Components'],
  ['engine/event', 'Events and handlers'],
  ['engine/handler', 'Events and handlers'],
  ['event-wire.ts', 'Events and handlers'],
  ['engine/', 'Shared elements'],
  ['tasks/', 'Startup tasks'],
  ['collab/', 'Collaborative documents'],
  ['ops/', 'Operations'],
  ['protocol.ts', 'Wire protocol (for clients of your own)'],
  ['errors.ts', 'Errors'],
];

function areaOf(file: string): string {
  return AREAS.find(([prefix]) => file.startsWith(prefix))?.[1] ?? 'Other';
}

/** docs/api.md: the exports by area, each with its summary and documented members. */
export function renderApi(api: ApiExport[]): string {
  const lines = [
    '# API reference',
    '',
    'Everything the `pushpage` package exports, from its one entry point, with the summary of',
    'its TSDoc (your editor shows the whole text). Generated from the sources by',
    '`npm run docs:api`; a unit test fails when this file is out of date.',
    '',
  ];
  const areas = [...new Set(AREAS.map(([, area]) => area)), 'Other'];
  for (const area of areas) {
    const entries = api.filter((e) => areaOf(e.file) === area);
    if (entries.length === 0) continue;
    lines.push(`## ${area}`, '');
    for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
      const summary = e.doc.split(/\n\s*\n/)[0].replace(/\s+/g, ' ');
      lines.push(`- **\`${e.name}\`** (${e.kind}) — ${summary}`);
      for (const m of e.members) lines.push(`  - \`${m.name}\`: ${m.summary}`);
    }
    lines.push('');
  }
  // formatted as the repository's Prettier settings want it (the CLI: Prettier's module API
  // loads itself with a dynamic import, which Jest's CommonJS runtime does not allow)
  return execFileSync(
    join(ROOT, 'node_modules', '.bin', 'prettier'),
    ['--stdin-filepath', API_DOC],
    {
      input: lines.join('\n'),
      encoding: 'utf8',
    },
  );
}

function main(): void {
  const text = renderApi(readApi());
  if (process.argv.includes('--check') && readFileSync(API_DOC, 'utf8') !== text) {
    console.error('docs/api.md is out of date: run npm run docs:api');
    process.exitCode = 1;
  } else if (!process.argv.includes('--check')) {
    writeFileSync(API_DOC, text);
    console.log(`wrote ${relative(process.cwd(), API_DOC)}`);
  }
}

if (require.main === module) main();
