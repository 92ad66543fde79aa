import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { allTopics } from '@vigil/contracts';

// The docs are part of the code: a clone must be able to follow every link, and the map in
// docs/ARCHITECTURE.md must name every topic, app and lib the code has.

const repoRoot = resolve(__dirname, '..');
const skippedDirs = new Set(['node_modules', 'dist', 'coverage']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // dot folders are git, caches and the git-ignored .vigil, none of them the repo's docs
    if (entry.isDirectory())
      return entry.name.startsWith('.') || skippedDirs.has(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** Link targets of a markdown text, leaving out code, where brackets are not links. */
function linkTargets(markdown: string): string[] {
  const prose = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
  const inline = [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const references = [...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)];
  return [...inline, ...references].map((match) => match[1] ?? '');
}

/** What is wrong with the links of one markdown file (repo-relative path), if anything. */
function linkProblems(file: string, markdown: string, root = repoRoot): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    // other schemes (https:, mailto:) and anchors within the page are not files
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const path = decodeURI(target.replace(/[#?].*$/, ''));
    const resolved = path.startsWith('/') ? join(root, path) : resolve(root, dirname(file), path);
    const inRepo = relative(root, resolved);
    if (inRepo.startsWith('..') || isAbsolute(inRepo))
      problems.push(`${file}: ${target} leads outside the repository`);
    else if (!existsSync(resolved)) problems.push(`${file}: ${target} does not exist`);
  }
  return problems;
}

const docs = markdownFiles(repoRoot).map((path) => ({
  file: relative(repoRoot, path),
  text: readFileSync(path, 'utf8'),
}));
const architecture = readFileSync(join(repoRoot, 'docs', 'ARCHITECTURE.md'), 'utf8');
const projectsIn = (folder: string): string[] =>
  readdirSync(join(repoRoot, folder), { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(join(repoRoot, folder, entry.name, 'project.json')),
    )
    .map((entry) => entry.name);
const libs = projectsIn('libs');
const apps = projectsIn('apps');

describe('the link checker', () => {
  it('finds links that are missing or leave the repository, and ignores code and URLs', () => {
    const text = [
      '[here](ARCHITECTURE.md) [adr](adr/README.md#decision) [web](https://example.org/x.md)',
      '[gone](missing.md) [map](../../shared/DESIGN.md) [root](/README.md)',
      '`[code](nope.md)`',
      '```',
      '[fenced](nope.md)',
      '```',
      '[ref]: ../../outside.md',
    ].join('\n');
    expect(linkProblems('docs/page.md', text)).toEqual([
      'docs/page.md: missing.md does not exist',
      'docs/page.md: ../../shared/DESIGN.md leads outside the repository',
      'docs/page.md: ../../outside.md leads outside the repository',
    ]);
  });
});

describe('the docs', () => {
  it('are found: README.md, docs/ and the lib READMEs', () => {
    const files = docs.map((d) => d.file);
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        join('docs', 'ARCHITECTURE.md'),
        join('docs', 'adr', 'README.md'),
      ]),
    );
  });

  it('link only to files that exist inside the repository', () => {
    expect(docs.flatMap((d) => linkProblems(d.file, d.text))).toEqual([]);
  });

  it('never point at the workspace outside the repository (../shared), which a clone lacks', () => {
    expect(docs.filter((d) => d.text.includes('../shared')).map((d) => d.file)).toEqual([]);
  });

  it('include a README.md in every lib that names its Nx tags', () => {
    const problems = libs.flatMap((lib) => {
      const readme = join(repoRoot, 'libs', lib, 'README.md');
      if (!existsSync(readme)) return [`libs/${lib} has no README.md`];
      const text = readFileSync(readme, 'utf8');
      const project = JSON.parse(readFileSync(join(repoRoot, 'libs', lib, 'project.json'), 'utf8'));
      const tags: string[] = project.tags ?? [];
      return tags
        .filter((tag) => !text.includes(`\`${tag}\``))
        .map((tag) => `libs/${lib}/README.md lacks ${tag}`);
    });
    expect(problems).toEqual([]);
  });
});

describe('docs/ARCHITECTURE.md', () => {
  it('describes every topic of libs/contracts', () => {
    expect(allTopics.length).toBeGreaterThan(0);
    expect(
      allTopics.map((t) => t.name).filter((name) => !architecture.includes(`\`${name}\``)),
    ).toEqual([]);
  });

  it('lists every app and every lib in its layout', () => {
    const layout = architecture.slice(architecture.indexOf('## Layout'));
    const appsPart = layout.slice(layout.indexOf('\napps/'), layout.indexOf('\nlibs/'));
    const libsPart = layout.slice(layout.indexOf('\nlibs/'), layout.indexOf('\ninfra/'));
    const listed = (part: string, name: string) => new RegExp(`^\\s+${name}/`, 'm').test(part);
    expect([
      ...apps.filter((app) => !listed(appsPart, app)).map((app) => `apps/${app}`),
      ...libs.filter((lib) => !listed(libsPart, lib)).map((lib) => `libs/${lib}`),
    ]).toEqual([]);
  });
});
