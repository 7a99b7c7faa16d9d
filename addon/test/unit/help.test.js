'use strict';
// The help texts name the menu path a person finds in Sheets: an editor add-on's menu (createAddonMenu) is under
// Extensions, so "ViralForge > Settings" on its own sends people looking for a menu that is not there.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { loadAddon } = require('../fakes');

const root = path.join(__dirname, '..', '..', '..');
const files = [
  ...fs.readdirSync(path.join(root, 'addon')).filter((f) => /\.(gs|html|md)$/.test(f)).map((f) => path.join('addon', f)),
  ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f)),
  'README.md',
];

test('Every help text names the menu path under Extensions', () => {
  const wrong = [];
  for (const file of files) {
    fs.readFileSync(path.join(root, file), 'utf8').split('\n').forEach((line, i) => {
      if (/ViralForge\s*(>|→)\s*Settings/.test(line.replace(/Extensions\s*(>|→)\s*ViralForge/g, ''))) wrong.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(wrong, []);
});

test('A formula without an API key points to Extensions > ViralForge > Settings', () => {
  const addon = loadAddon({ sheets: [] });
  assert.equal(addon.call('VF_STATUS', 'job-1'), 'Set up ViralForge: Extensions > ViralForge > Settings');
});
