'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('../fakes');

const JOB = '6a1f0c3e-2b7d-4e59-9a41-0d8c5b7e2f10';
const SCRIPT = {
  jobId: JOB, generation: 2, status: 'script-review', topic: 'Three tips for sourdough', title: 'Sourdough, simply',
  hook: 'Your loaf is flat?', beats: [{ narration: 'Feed the starter twice.', cardText: 'Feed it' }, { narration: 'Bake hot.', cardText: 'Bake hot' }],
  callToAction: 'Follow for more bread.', maxCardWords: 6,
};

function edit(overrides) {
  return Object.assign({ generation: 2, title: 'Sourdough, simply', hook: 'Your loaf is flat?', beats: SCRIPT.beats, callToAction: 'Follow for more bread.' }, overrides);
}

test('Reading a row\'s script GETs /jobs/{id}/script with the identity token and answers the script', () => {
  const addon = loadAddon({ fetch: () => ({ code: 200, body: SCRIPT }) });

  const script = addon.call('getRowScript', ' ' + JOB.toUpperCase() + ' ');

  const [req] = addon.urlFetch.requests;
  assert.equal(req.url, `https://BACKEND_URL/jobs/${JOB}/script`);
  assert.equal(req.method, 'get');
  assert.equal(req.headers.Authorization, 'Bearer google-id-token');
  assert.deepEqual(script, {
    jobId: JOB, generation: 2, topic: 'Three tips for sourdough', title: 'Sourdough, simply', hook: 'Your loaf is flat?',
    beats: SCRIPT.beats, callToAction: 'Follow for more bread.', maxCardWords: 6,
  });
});

test('A Job ID that is not one is refused before anything is sent', () => {
  const addon = loadAddon({ fetch: () => ({ code: 200, body: SCRIPT }) });

  assert.throws(() => addon.context.getRowScript('=HYPERLINK("x")'), /is not a ViralForge Job ID: submit the row first\./);
  assert.throws(() => addon.context.saveRowScript('', edit()), /is not a ViralForge Job ID/);
  assert.equal(addon.urlFetch.requests.length, 0);
});

test('A row whose script is not waiting shows the backend\'s reason', () => {
  const addon = loadAddon({ fetch: () => ({ code: 409, body: { status: 409, title: 'Conflict', detail: 'This row\'s script is not waiting for a check (the job is visuals).' } }) });

  assert.throws(() => addon.context.getRowScript(JOB),
    { message: 'Reading the script failed: the backend refused the request (409): This row\'s script is not waiting for a check (the job is visuals).' });
});

test('Saving PUTs the trimmed edit with its generation and answers the outcome', () => {
  const addon = loadAddon({ fetch: () => ({ code: 200, body: { jobId: JOB, outcome: 'continued', message: 'Saved; the video is being made from your script.', status: 'visuals' } }) });

  const answer = addon.call('saveRowScript', JOB, edit({ title: '  Sourdough, simply  ', beats: [{ narration: ' Feed it twice a day. ', cardText: 'Feed it' }] }));

  const [req] = addon.urlFetch.requests;
  assert.equal(req.url, `https://BACKEND_URL/jobs/${JOB}/script`);
  assert.equal(req.method, 'put');
  assert.equal(req.headers.Authorization, 'Bearer google-id-token');
  assert.deepEqual(req.body, {
    generation: 2, title: 'Sourdough, simply', hook: 'Your loaf is flat?', beats: [{ narration: 'Feed it twice a day.', cardText: 'Feed it' }],
    callToAction: 'Follow for more bread.',
  });
  assert.deepEqual(answer, { saved: true, outcome: 'continued', message: 'Saved; the video is being made from your script.', status: 'visuals', problems: [] });
});

test('An edit with an empty beat or a long card is answered with each problem and not sent', () => {
  const addon = loadAddon({ fetch: () => ({ code: 200, body: {} }) });

  const answer = addon.call('saveRowScript', JOB, edit({ beats: [{ narration: '  ', cardText: 'ok' }, { narration: 'Bake hot.', cardText: 'one two three four five six seven' }] }));

  assert.equal(answer.saved, false);
  assert.deepEqual(answer.problems, ['The narration of beat 1 is empty.', 'The card text of beat 2 has 7 words; keep it to 6.']);
  assert.equal(addon.urlFetch.requests.length, 0);
});

test('Problems only the backend finds are answered the same way', () => {
  const addon = loadAddon({ fetch: () => ({ code: 400, body: { status: 400, title: 'Bad Request', detail: 'The script was not saved: The title is longer than 2000 characters.', problems: ['The title is longer than 2000 characters.'] } }) });

  const answer = addon.call('saveRowScript', JOB, edit());

  assert.deepEqual(answer, { saved: false, outcome: 'invalid', message: 'The script was not saved: The title is longer than 2000 characters.', status: 'script-review',
    problems: ['The title is longer than 2000 characters.'] });
});

test('A refused save says why', () => {
  const addon = loadAddon({ fetch: () => ({ code: 403, body: { status: 403, detail: 'bob@example.org is not allowed to use ViralForge.' } }) });

  assert.throws(() => addon.context.saveRowScript(JOB, edit()), /Saving the script failed: your account may not use this ViralForge backend \(403\)/);
});
