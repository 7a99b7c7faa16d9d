'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('../fakes');

test('Issuing a key posts /keys with the identity token and stores the key for the user', () => {
  const addon = loadAddon({ fetch: () => ({ code: 200, body: { key: 'vfk_abc', createdAt: '2026-11-29T18:00:00Z' } }) });
  const state = addon.call('issueApiKey');
  assert.deepEqual(state, { hasKey: true, keyCreatedAt: '2026-11-29T18:00:00Z' });
  const [req] = addon.urlFetch.requests;
  assert.equal(req.url, 'https://BACKEND_URL/keys');
  assert.equal(req.method, 'post');
  assert.equal(req.headers.Authorization, 'Bearer google-id-token');
  assert.equal(addon.properties.getProperty('viralforge.apiKey'), 'vfk_abc');
});

test('Revoking deletes /keys and forgets the key', () => {
  const addon = loadAddon({ fetch: () => ({ code: 204, body: '' }), properties: { 'viralforge.apiKey': 'vfk_abc' } });
  assert.deepEqual(addon.call('revokeApiKey'), { hasKey: false, keyCreatedAt: '' });
  assert.equal(addon.urlFetch.requests[0].method, 'delete');
  assert.equal(addon.urlFetch.requests[0].url, 'https://BACKEND_URL/keys');
  assert.equal(addon.properties.getProperty('viralforge.apiKey'), null);
});

test('A refused key request keeps the old key and says why', () => {
  const addon = loadAddon({
    fetch: () => ({ code: 403, body: { title: 'Forbidden', status: 403, detail: 'bob@example.org is not on the allow-list.' } }),
    properties: { 'viralforge.apiKey': 'vfk_old' },
  });
  assert.throws(() => addon.context.issueApiKey(),
    { message: 'Issuing an API key failed: your account may not use this ViralForge backend (403): bob@example.org is not on the allow-list. Ask its administrator to add your email or domain.' });
  assert.throws(() => addon.context.revokeApiKey(), /Revoking the API key failed: .*\(403\)/);
  assert.equal(addon.properties.getProperty('viralforge.apiKey'), 'vfk_old');
});

test('An answer without a key is not stored', () => {
  const addon = loadAddon({ fetch: () => ({ code: 200, body: { createdAt: 'x' } }) });
  assert.throws(() => addon.context.issueApiKey(), /the backend's answer has no key/);
  assert.equal(addon.properties.getProperty('viralforge.apiKey'), null);
});
