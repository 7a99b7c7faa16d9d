'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon, FakeSheet } = require('../fakes');

test('Progress comes from the sheet\'s own cells, found by Job ID after the rows moved, without asking the backend', () => {
  const sheet = new FakeSheet('Ideas', [
    ['Topic', 'Job ID', 'Status', 'Stage', 'Error', 'Video'],
    ['Dogs', 'job-2', 'failed', 'render', 'FFmpeg ran out of memory', ''],
    ['Other', '', '', '', '', ''],
    ['Cats', 'job-1', 'review', 'review', '', 'https://storage.example/v.mp4'],
    ['Copy of cats', 'job-1', 'queued', '', '', ''],
  ]);
  const addon = loadAddon({ sheets: [sheet] });
  const answer = addon.call('readProgress', { sheetName: 'Ideas', jobIds: ['job-1', 'job-2', 'job-3'] });
  assert.deepEqual(answer.jobs, {
    'job-1': { rowNumber: 4, status: 'review', stage: 'review', error: '', video: 'https://storage.example/v.mp4', preview: '', publishedUrl: '', final: false },
    'job-2': { rowNumber: 2, status: 'failed', stage: 'render', error: 'FFmpeg ran out of memory', video: '', preview: '', publishedUrl: '', final: true },
  });
  assert.equal(addon.urlFetch.requests.length, 0);
});

test('Progress of a tab without a Job ID column is empty', () => {
  const addon = loadAddon({ sheets: [new FakeSheet('Ideas', [['Topic'], ['Cats']])] });
  assert.deepEqual(addon.call('readProgress', { sheetName: 'Ideas', jobIds: ['x'] }), { jobs: {} });
});

test('A scheduled row is final, and its preview is read with its video', () => {
  const sheet = new FakeSheet('Ideas', [
    ['Topic', 'Job ID', 'Status', 'Stage', 'Video', 'Preview'],
    ['Cats', 'job-1', 'scheduled', 'live 2026-12-08 17:00 UTC (in 20 h)', 'https://youtu.be/abc', 'https://storage.example/thumbnail.jpg'],
  ]);
  const addon = loadAddon({ sheets: [sheet] });
  const job = addon.call('readProgress', { sheetName: 'Ideas', jobIds: ['job-1'] }).jobs['job-1'];
  assert.equal(job.final, true);
  assert.equal(job.stage, 'live 2026-12-08 17:00 UTC (in 20 h)');
  assert.equal(job.preview, 'https://storage.example/thumbnail.jpg');
});
