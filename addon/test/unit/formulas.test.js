'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('../fakes');

const KEY = { 'viralforge.apiKey': 'vfk_key1' };
const JOBS = {
  'job-1': { status: 'published', stage: 'publish', video: 'https://v/1.mp4', preview: 'https://p/1', publishedUrl: 'https://youtu.be/1', error: null },
  'job-2': { status: 'render', stage: 'render', video: null, preview: null, publishedUrl: null, error: null },
};
function statusApi(req) {
  if (!req.url.endsWith('/jobs/status')) return { code: 404, body: '' };
  return {
    code: 200,
    body: {
      jobs: req.body.jobIds.map((id) => (JOBS[id]
        ? { jobId: id, found: true, ...JOBS[id] }
        : { jobId: id, found: false, status: null, stage: null, video: null, preview: null, publishedUrl: null, error: 'No job with this id.' })),
    },
  };
}

test('VF_STATUS of one id asks POST /jobs/status with the API key', () => {
  const addon = loadAddon({ properties: KEY, fetch: statusApi });
  assert.equal(addon.call('VF_STATUS', 'job-1'), 'published');
  const [req] = addon.urlFetch.requests;
  assert.equal(req.url, 'https://BACKEND_URL/jobs/status');
  assert.equal(req.method, 'post');
  assert.equal(req.headers.Authorization, 'Bearer vfk_key1');
  assert.deepEqual(req.body, { jobIds: ['job-1'] });
});

test('A range keeps its shape, with one backend call for all its ids, empty cells empty and unknown ids named', () => {
  const addon = loadAddon({ properties: KEY, fetch: statusApi });
  const range = [['job-1', ''], ['job-2', 'nope'], [' job-1 ', null]];
  assert.deepEqual(addon.call('VF_STATUS', range), [['published', ''], ['render', 'unknown job'], ['published', '']]);
  assert.deepEqual(addon.call('VF_VIDEO', [['job-1'], ['job-2']]), [['https://v/1.mp4'], ['']]);
  assert.equal(addon.urlFetch.requests.length, 1);
  assert.deepEqual(addon.urlFetch.requests[0].body, { jobIds: ['job-1', 'job-2', 'nope'] });
});

test('Answers are cached for a minute, so a second call does not fetch', () => {
  const addon = loadAddon({ properties: KEY, fetch: statusApi });
  assert.equal(addon.call('VF_URL', 'job-1'), 'https://youtu.be/1');
  assert.equal(addon.call('VF_STATUS', 'job-1'), 'published');
  assert.equal(addon.call('VF_URL', [['job-1']])[0][0], 'https://youtu.be/1');
  assert.equal(addon.urlFetch.requests.length, 1);
  assert.equal(addon.cache.puts[0].ttl, 60);
  // Only the ids the cache lacks are asked for.
  addon.call('VF_STATUS', [['job-1'], ['job-2']]);
  assert.deepEqual(addon.urlFetch.requests[1].body, { jobIds: ['job-2'] });
});

test('Without an API key every non-empty cell says how to set one up and nothing is fetched', () => {
  const addon = loadAddon({ fetch: statusApi });
  assert.equal(addon.call('VF_STATUS', 'job-1'), 'Set up ViralForge: Extensions > ViralForge > Settings');
  assert.deepEqual(addon.call('VF_STATUS', [['job-1', '']]), [['Set up ViralForge: Extensions > ViralForge > Settings', '']]);
  assert.equal(addon.urlFetch.requests.length, 0);
});

test('An empty cell gives an empty answer without a backend call', () => {
  const addon = loadAddon({ properties: KEY, fetch: statusApi });
  assert.equal(addon.call('VF_STATUS', ''), '');
  assert.equal(addon.call('VF_STATUS', undefined), '');
  assert.equal(addon.urlFetch.requests.length, 0);
});

test('Backend errors are readable values, not exceptions, and are not cached', () => {
  const cases = [
    [{ code: 401, body: { status: 401, detail: 'Unknown API key.' } }, 'ViralForge error: the API key was not accepted (401): Unknown API key. Extensions > ViralForge > Settings issues a new one.'],
    [{ code: 429, headers: { 'retry-after': '7' }, body: { status: 429, detail: 'Too many requests.' } }, 'ViralForge error: too many requests (429): Too many requests. Try again in 7 s.'],
    [{ code: 500, body: '' }, 'ViralForge error: the backend had a problem (500). Recalculate later.'],
    [{ code: 200, body: 'not json' }, 'ViralForge error: the backend answered 200 with something that is not JSON (not json).'],
    [{ code: 200, body: { nothing: true } }, 'ViralForge error: the backend\'s answer has no jobs list.'],
  ];
  for (const [answer, expected] of cases) {
    const addon = loadAddon({ properties: KEY, fetch: () => answer });
    assert.deepEqual(addon.call('VF_STATUS', [['job-1'], ['']]), [[expected], ['']]);
    assert.equal(addon.cache.puts.length, 0);
  }
});

test('More than 500 distinct ids are asked in chunks of 500 through one fetchAll', () => {
  const addon = loadAddon({ properties: KEY, fetch: statusApi });
  const ids = Array.from({ length: 1200 }, (_, i) => [`id-${i}`]);
  const out = addon.call('VF_STATUS', ids);
  assert.equal(out.length, 1200);
  assert.ok(out.every((r) => r[0] === 'unknown job'));
  assert.deepEqual(addon.urlFetch.fetchAllCalls, [3]);
  assert.deepEqual(addon.urlFetch.requests.map((r) => r.body.jobIds.length), [500, 500, 200]);
});

test('The formula functions are documented as custom functions', () => {
  const src = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'Formulas.gs'), 'utf8');
  for (const name of ['VF_STATUS', 'VF_VIDEO', 'VF_URL']) {
    assert.match(src, new RegExp(`@customfunction\\n \\*/\\nfunction ${name}\\(ids\\)`), name);
  }
});
