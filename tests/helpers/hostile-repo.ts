/**
 * One hostile fixture repository for the output-safety tests: commit messages, author names, file
 * paths, code and git-ai notes carrying HTML (`<script>`, `<img onerror>`), Markdown injection
 * (our own `<!-- grasp:checklist -->` marker, links, table pipes) and terminal escape sequences
 * (CSI colours, OSC title and hyperlinks, C1 controls, carriage returns). Built with real `git`
 * through GitFixture; the strings are exported so tests can look for them in every output.
 */
import { formatGitAiNote } from '../../src/core/git-ai-note.ts';
import { GitFixture, HUMAN } from './git-fixture.ts';

export const ESC = '\u001b';
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  marker: '<!-- grasp:checklist -->',
  csi: `${ESC}[31m`,
  clear: `${ESC}[2J`,
  title: `${ESC}]0;pwned\u0007`,
  link: `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`,
  c1: '\u009b31m',
  cr: 'safe\rEVIL',
} as const;

/** git keeps ESC, BEL and CR in names but drops '<' and '>'. */
export const HOSTILE_AUTHOR = { name: `Eve ${HOSTILE.csi}Red${HOSTILE.title} & "Quotes" \u009b1m`, email: 'eve@example.com' };
export const HOSTILE_SUBJECT = `fix ${HOSTILE.marker} ${HOSTILE.script} ${HOSTILE.clear}${HOSTILE.cr} [x](javascript:alert(1)) | a | b |`;
export const HOSTILE_BODY = `${HOSTILE.marker}\n## Injected heading\n${HOSTILE.img}\n${HOSTILE.link}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n`;
/** A directory name that is an HTML tag, and a file name with escape sequences and a CR. */
export const HOSTILE_DIR = `src/${HOSTILE.img}`;
export const HOSTILE_VIEW_PATH = `${HOSTILE_DIR}/view.ts`;
export const HOSTILE_ESC_PATH = `src/${HOSTILE.csi}red${HOSTILE.cr}.ts`;
/** Backticks in a path try to close the code span a formatter puts the path in. */
export const HOSTILE_TICK_PATH = 'src/tick` <img src=x onerror=alert(3)> ` <!-- grasp:checklist -->.ts';
export const HOSTILE_MODEL = `gpt-5 ${HOSTILE.script}${HOSTILE.csi}`;

const CLAUDE = '\n\nCo-authored-by: Claude <noreply@anthropic.com>\n';

function viewSource(version: number): string {
  return [
    `// ${HOSTILE.marker} ${HOSTILE.title}`,
    `/** ${HOSTILE.img} */`,
    'export function renderBanner(user: string): string {',
    `  const open = '${HOSTILE.script}';`,
    `  if (user.length > ${version}) return open + user;`,
    "  return `<b>${user}</b>`;",
    '}',
    '',
    'export class Widget {',
    '  html(): string {',
    `    return "${HOSTILE.csi}" + '${HOSTILE.marker}' + ${version};`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export interface HostileRepo {
  repo: GitFixture;
  base: string;
  head: string;
  /** The commit whose subject is HOSTILE_SUBJECT. */
  hostileCommit: string;
}

/** Builds the repository: a clean base, then agent commits that bring the hostile text in. */
export function buildHostileRepo(): HostileRepo {
  const repo = new GitFixture();
  repo.write('src/app.ts', 'export function start(port: number): number {\n  return port + 1;\n}\n');
  const base = repo.commit({ message: 'base', author: HUMAN });
  repo.write(HOSTILE_VIEW_PATH, viewSource(1));
  repo.commit({ message: `add view ${HOSTILE.img}${CLAUDE}`, author: HOSTILE_AUTHOR });
  repo.write(HOSTILE_VIEW_PATH, viewSource(2));
  repo.write('src/app.ts', `export function start(port: number): number {\n  // ${HOSTILE.marker}\n  if (port > 2) return port;\n  return port + 2;\n}\n`);
  const hostileCommit = repo.commit({ message: `${HOSTILE_SUBJECT}\n\n${HOSTILE_BODY}`, author: HOSTILE_AUTHOR });
  repo.note(
    hostileCommit,
    formatGitAiNote({
      schemaVersion: 'authorship/3.0.0',
      files: [{ path: 'src/app.ts', sessions: [{ session: 'abcdef0123456789', ranges: [[1, 5]] }] }],
      sessions: { abcdef0123456789: { agent: 'cursor', model: HOSTILE_MODEL } },
    }),
  );
  repo.write(HOSTILE_ESC_PATH, 'export function red(): string {\n  return "red";\n}\n');
  repo.write(HOSTILE_TICK_PATH, 'export function tick(): number {\n  return 1;\n}\n');
  const head = repo.commit({ message: `add ${HOSTILE.csi}red${HOSTILE.title} file${CLAUDE}`, author: HOSTILE_AUTHOR });
  return { repo, base, head, hostileCommit };
}
