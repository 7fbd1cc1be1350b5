/**
 * Every GraphQL document grasp sends is valid against GitHub's real schema (@octokit/graphql-schema),
 * and every recorded response in tests/fixtures/github is exactly what that schema yields for it.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, validate, visit, getOperationAST, type IntValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ALL_DOCUMENTS } from '../../src/github/queries/index.ts';
import { checkAgainstSchema, FIXTURES_DIR, githubGraphqlSchema, loadScenario } from '../fixtures/github/recorded-fetch.ts';

const scenarios = readdirSync(FIXTURES_DIR).filter((f) => statSync(join(FIXTURES_DIR, f)).isDirectory());
const anySha = new Proxy({}, { has: () => true, get: () => 'ab'.repeat(20) }) as Record<string, string>;

describe('query documents', () => {
  it.each(Object.entries(ALL_DOCUMENTS))('%s validates against GitHub\'s schema', (name, doc) => {
    const ast = parse(doc);
    expect(getOperationAST(ast)?.name?.value).toBe(name);
    expect(validate(githubGraphqlSchema(), ast).map((e) => e.message)).toEqual([]);
  });

  it('never asks for more than GitHub allows per connection page (100)', () => {
    for (const [name, doc] of Object.entries(ALL_DOCUMENTS)) {
      visit(parse(doc), {
        Argument(node) {
          if ((node.name.value === 'first' || node.name.value === 'last') && node.value.kind === Kind.INT) {
            expect(Number((node.value as IntValueNode).value), name).toBeLessThanOrEqual(100);
          }
        },
      });
    }
  });

  it('the sync queries read the rate limit', () => {
    for (const name of ['PullRequestsPage', 'PullRequestCommitsPage', 'PullRequestFilesPage', 'PullRequestReviewsPage', 'ReviewCommentsPage']) {
      expect(ALL_DOCUMENTS[name], name).toMatch(/rateLimit \{ remaining resetAt cost limit \}/);
    }
  });

  it('the schema check itself rejects a query GitHub would reject', () => {
    const bad = parse('query Bad { viewer { loginx } repository(owner: "a") { id } }');
    expect(validate(githubGraphqlSchema(), bad).length).toBeGreaterThanOrEqual(2);
  });
});

describe('recorded responses', () => {
  const recordings = scenarios.flatMap((s) => loadScenario(s, anySha));

  it('exist for every scenario the tests use', () => {
    expect(scenarios.sort()).toEqual(
      ['bad-token', 'checklist-create', 'ci-publish', 'checklist-missing-pr', 'checklist-update', 'credits', 'desk-shop', 'empty', 'low-budget', 'nested-error', 'not-found', 'paged', 'partial', 'secondary-rate-limit', 'service-gate-burst', 'service-gate-outage', 'service-gate-refused', 'service-gate-update'].sort(),
    );
  });

  it.each(recordings.map((r) => [r.file!, r] as const))('%s is shaped exactly like GitHub\'s answer', (_file, rec) => {
    const doc = ALL_DOCUMENTS[rec.operation];
    expect(doc, `unknown operation ${rec.operation}`).toBeDefined();
    // Required variables a recording does not pin get any valid value: they only feed arguments.
    const checkInput = rec.operation === 'UpdateGraspCheckRun' ? { repositoryId: 'X', checkRunId: 'X' } : { repositoryId: 'X', name: 'X', headSha: 'ab'.repeat(20) };
    const variables = { owner: 'acme', name: 'shop', number: 1, first: 10, after: null, id: 'X', subjectId: 'X', body: 'X', input: checkInput, ...rec.variables };
    expect(() => checkAgainstSchema(rec, doc!, variables)).not.toThrow();
  });

  it('the shape check catches a missing non-null field, a wrong enum, an extra field and a wrong __typename', () => {
    const mutations: ((d: any) => void)[] = [
      (d) => delete d.repository.pullRequests.nodes[0].deletions,
      (d) => (d.repository.pullRequests.nodes[0].state = 'WHATEVER'),
      (d) => (d.repository.pullRequests.nodes[0].body = 'not asked for'),
      (d) => (d.repository.pullRequests.nodes[0].author.__typename = 'Team'),
      (d) => (d.repository.pullRequests.nodes[0].additions = 1.5),
    ];
    for (const mutate of mutations) {
      const rec = loadScenario('paged')[0]!;
      mutate(rec.body.data);
      expect(() => checkAgainstSchema(rec, ALL_DOCUMENTS.PullRequestsPage!, { first: 10, ...rec.variables })).toThrow(/not what GitHub's schema yields/);
    }
  });
});
