'use strict';
// The Languages column (issue 15 item 6) in the add-on's port of RowValidator and SheetContract: the backend's
// examples (tests/ViralForge.Core.Tests/Sheets/LanguagesTests.cs) with the same words.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('../fakes');

const addon = loadAddon();
const validate = (cells) => addon.call('vfValidateRow_', { Topic: 'Houseplant care', ...cells });

test('A Languages cell of language tags is valid, in any casing and with repeats', () => {
  assert.deepEqual(validate({ Languages: ' EN, es pt-br , es ' }), { valid: true, errors: [], error: '' });
});

test('Languages wins over Language, which is then not read', () => {
  assert.equal(validate({ Language: 'not a tag', Languages: 'es, en' }).valid, true);
  assert.equal(validate({ Language: 'not a tag', Languages: '  ' }).error, 'Language "not a tag" is not a language tag; write e.g. en, en-US, pt-BR or ar');
});

test('A bad Languages cell names the bad code and shows an example, as the backend does', () => {
  const cases = [
    ['en, english, es', 'Languages "en, english, es": "english" is not a language tag; write codes separated by commas, e.g. en, es, pt-BR'],
    ['en, e$, pt_BR', 'Languages "en, e$, pt_BR": "e$", "pt_BR" are not language tags; write codes separated by commas, e.g. en, es, pt-BR'],
    [',', 'Languages "," has no language code; write codes separated by commas, e.g. en, es, pt-BR'],
    ['en es fr de it pt nl sv da fi pl', 'Languages has 11 languages; the limit is 10 (one video each)'],
    ['en, espanol!', 'Languages "en, espanol!": "espanol!" is not a language tag; write codes separated by commas, e.g. en, es, pt-BR'],
  ];
  for (const [cell, error] of cases) assert.equal(validate({ Languages: cell }).error, error, cell);
});

test('Languages is an input column and the per-language columns are outputs in canonical form', () => {
  assert.equal(addon.call('vfCanonical_', ' languages '), 'Languages');
  assert.equal(addon.call('vfIsOutput_', 'Languages'), false);
  const cases = [
    ['Status (es)', 'Status (es)'], ['  job id (PT-br) ', 'Job ID (pt-BR)'], ['VIDEO(zh-hant-tw)', 'Video (zh-Hant-TW)'],
    ['Error (es)', 'Error (es)'], ['Stage (es)', null], ['Status (not a tag)', null], ['Status es', null],
  ];
  for (const [header, canonical] of cases) {
    assert.equal(addon.call('vfCanonical_', header), canonical, header);
    if (canonical !== null) assert.equal(addon.call('vfIsOutput_', canonical), true, canonical);
  }
});
