/**
 * The persistent checklist comment: created once, then updated in place; found only by the marker
 * on its first line AND the token's own authorship, so quoting the marker cannot hijack it.
 */
import { describe, expect, it } from 'vitest';
import { GraspError } from '../../src/core/errors.ts';
import { CHECKLIST_MARKER, isChecklistBody, postChecklistComment, withMarker } from '../../src/github/checklist-comment.ts';
import { createGithubClient } from '../../src/github/client.ts';
import { loadScenario, recordedFetch } from '../fixtures/github/recorded-fetch.ts';

const BODY = '## Review checklist\n- [ ] `src/cart.ts#total`';

function clientFor(scenario: string) {
  const served = recordedFetch(loadScenario(scenario));
  return { client: createGithubClient({ token: 'ghp_bot', fetch: served.fetch, sleep: async () => {} }), served };
}

describe('checklist comment', () => {
  it('creates the comment when the token user has none, ignoring look-alikes by others or with the marker mid-text', async () => {
    const { client, served } = clientFor('checklist-create');
    const res = await postChecklistComment({ client, owner: 'acme', repo: 'shop', number: 7, body: BODY });
    expect(res).toEqual({ action: 'created', commentId: 'IC_kwDOGrasp0005', url: 'https://github.com/acme/shop/pull/7#issuecomment-5' });
    expect(served.remaining()).toBe(0);
    expect(served.violation()).toBeNull();
  });

  it("updates the token user's own marked comment, found on a later page", async () => {
    const { client, served } = clientFor('checklist-update');
    const res = await postChecklistComment({ client, owner: 'acme', repo: 'shop', number: 7, body: `${CHECKLIST_MARKER}\n${BODY}` });
    expect(res).toEqual({ action: 'updated', commentId: 'IC_kwDOGrasp0042', url: 'https://github.com/acme/shop/pull/7#issuecomment-42' });
    expect(served.sent.map((s) => s.operation)).toEqual(['ChecklistTarget', 'ChecklistTarget', 'UpdateChecklistComment']);
    expect(served.violation()).toBeNull();
  });

  it('a missing pull request is a not-found error', async () => {
    const { client } = clientFor('checklist-missing-pr');
    await expect(postChecklistComment({ client, owner: 'acme', repo: 'shop', number: 999, body: BODY })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses bodies GitHub would refuse, before sending anything', async () => {
    const { client, served } = clientFor('checklist-create');
    await expect(postChecklistComment({ client, owner: 'acme', repo: 'shop', number: 7, body: 'x'.repeat(70_000) })).rejects.toThrow(GraspError);
    await expect(postChecklistComment({ client, owner: 'acme', repo: 'shop', number: 0, body: BODY })).rejects.toThrow(GraspError);
    expect(served.sent).toHaveLength(0);
  });

  it('recognizes the marker only as the first line', () => {
    expect(isChecklistBody(`${CHECKLIST_MARKER}\n- [ ] a`)).toBe(true);
    expect(isChecklistBody(`${CHECKLIST_MARKER}\r\n- [ ] a`)).toBe(true);
    expect(isChecklistBody(`see ${CHECKLIST_MARKER}`)).toBe(false);
    expect(isChecklistBody(`\n${CHECKLIST_MARKER}`)).toBe(false);
    expect(isChecklistBody(`${CHECKLIST_MARKER} extra`)).toBe(false);
    expect(withMarker('body')).toBe(`${CHECKLIST_MARKER}\nbody`);
    expect(withMarker(`${CHECKLIST_MARKER}\nbody`)).toBe(`${CHECKLIST_MARKER}\nbody`);
  });
});
