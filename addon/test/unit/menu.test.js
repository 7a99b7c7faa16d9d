'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { loadAddon, FakeSheet, HEADER } = require('../fakes');

const ADDON = path.join(__dirname, '..', '..');

test('Opening the sheet adds the ViralForge menu with its three items', () => {
  const addon = loadAddon();
  addon.call('onOpen', { authMode: 'LIMITED' });
  assert.equal(addon.ui.menus.length, 1);
  assert.deepEqual(addon.ui.menus[0].items, [
    { caption: 'Open sidebar', fn: 'showSidebar' },
    { caption: 'Submit selected rows', fn: 'submitSelectedRows' },
    { caption: 'Settings', fn: 'showSettings' },
  ]);
  for (const { fn } of addon.ui.menus[0].items) assert.equal(typeof addon.context[fn], 'function', fn);
});

test('Installing the add-on adds the menu at once', () => {
  const addon = loadAddon();
  addon.call('onInstall', {});
  assert.equal(addon.ui.menus.length, 1);
});

test('Open sidebar shows Sidebar.html on the rows view and Settings on the settings view', () => {
  const addon = loadAddon();
  addon.call('showSidebar');
  addon.call('showSettings');
  const [rows, settings] = addon.ui.sidebars;
  assert.equal(rows.getTitle(), 'ViralForge');
  assert.match(rows.getContent(), /<body data-view="rows">/);
  assert.match(settings.getContent(), /<body data-view="settings">/);
});

test('Menu functions are public and helpers are private to google.script.run', () => {
  const addon = loadAddon();
  const names = Object.getOwnPropertyNames(addon.context).filter((n) => typeof addon.context[n] === 'function' && !n.endsWith('_'));
  assert.deepEqual(names.sort(), ['VF_STATUS', 'VF_URL', 'VF_VIDEO', 'getSidebarState', 'issueApiKey', 'onInstall', 'onOpen',
    'getRowScript', 'readProgress', 'readSelection', 'revokeApiKey', 'saveDefaults', 'saveRowScript', 'showSettings', 'showSidebar', 'submitRows',
    'submitSelectedRows'].sort());
});

test('Manifest is V8 with the five scopes and the backend alone on the fetch allow-list', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ADDON, 'appsscript.json'), 'utf8'));
  assert.equal(manifest.runtimeVersion, 'V8');
  assert.equal(manifest.exceptionLogging, 'STACKDRIVER');
  assert.deepEqual(manifest.oauthScopes, [
    'https://www.googleapis.com/auth/spreadsheets.currentonly',
    'https://www.googleapis.com/auth/script.container.ui',
    'https://www.googleapis.com/auth/script.external_request',
    'openid',
    'https://www.googleapis.com/auth/userinfo.email',
  ]);
  const addon = loadAddon();
  assert.deepEqual(manifest.urlFetchWhitelist, [addon.constant('VF_BACKEND_URL')]);
  assert.equal(addon.constant('VF_BACKEND_URL'), 'https://BACKEND_URL/');
});

test('Every server file is marked OnlyCurrentDoc', () => {
  for (const f of fs.readdirSync(ADDON).filter((x) => x.endsWith('.gs'))) {
    assert.match(fs.readFileSync(path.join(ADDON, f), 'utf8'), /@OnlyCurrentDoc/, f);
  }
});

test('Settings state says whether a key is stored, and never returns the key', () => {
  const addon = loadAddon({ properties: { 'viralforge.apiKey': 'vfk_secret', 'viralforge.apiKeyCreatedAt': '2026-11-29T18:00:00Z' } });
  const state = addon.call('getSidebarState');
  assert.deepEqual(state, {
    defaults: { Platform: 'youtube', Style: 'clean', Voice: 'default', Duration: '30' },
    hasKey: true, keyCreatedAt: '2026-11-29T18:00:00Z', backendUrl: 'https://BACKEND_URL/',
  });
  assert.doesNotMatch(JSON.stringify(state), /vfk_secret/);
});

test('Saved defaults come back, trimmed, and unknown options are dropped', () => {
  const addon = loadAddon({ sheets: [new FakeSheet('Ideas', [HEADER])] });
  addon.call('saveDefaults', { Platform: 'tiktok', Duration: ' 45 ', Evil: 'x' });
  assert.deepEqual(addon.call('getSidebarState').defaults, { Platform: 'tiktok', Style: 'clean', Voice: 'default', Duration: '45' });
});
