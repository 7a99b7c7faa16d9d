'use strict';
// The backend's RowValidator's own answers for ~3,500 generated rows (test/parity/corpus.json, recorded by
// test/parity/regenerate.js from the C# code) against the add-on's port: every Error text must be the same.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const corpus = require('../parity/corpus.json');
const { loadAddon } = require('../fakes');

test('Every generated row gets exactly the Error text the backend gives it', () => {
  const addon = loadAddon();
  const differ = corpus.filter(({ cells, error }) => addon.call('vfValidateRow_', cells).error !== error);
  assert.ok(corpus.length > 3000 && corpus.filter((c) => c.error).length > 1000, 'the corpus has valid and invalid rows');
  assert.deepEqual(differ.slice(0, 5).map((c) => ({ ...c, addon: addon.call('vfValidateRow_', c.cells).error })), []);
});
