'use strict';
// The backend's own examples (tests/ViralForge.Core.Tests/Sheets/RowValidatorTests.cs) against the add-on's port of
// RowValidator: the sidebar must reject exactly what intake rejects, with the same words.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon } = require('../fakes');

const addon = loadAddon();
const validate = (cells, defaults) => addon.call('vfValidateRow_', { Topic: 'Why cats knock things over', ...cells }, defaults);
const valid = (cells) => {
  const r = validate(cells);
  assert.deepEqual(r, { valid: true, errors: [], error: '' }, JSON.stringify(cells));
};
const invalid = (cells) => {
  const r = validate(cells);
  assert.equal(r.valid, false, JSON.stringify(cells));
  return r.error;
};

test('Topic only row is valid', () => valid({}));

test('Full row is read and trimmed', () => valid({
  Topic: '  Space facts  ', Platform: ' Both ', Duration: ' 0:45 ', Style: ' bold ', Voice: ' alloy ', Language: ' pt-br ',
  'Publish At': '2026-12-01 15:00+02:00', Hashtags: '#space, #NASA', Notes: '  keep it light, no music  ',
}));

test('Blank topic is required', () => {
  for (const topic of ['', '   ', '\t\n', '\u00a0\u3000']) assert.equal(invalid({ Topic: topic }), 'Topic is required');
});

test('Topic of 300 characters is accepted and 301 is not', () => {
  valid({ Topic: 'a'.repeat(300) });
  assert.equal(invalid({ Topic: 'a'.repeat(301) }), 'Topic is 301 characters long; the limit is 300');
});

test('Topic length counts what the person sees not utf16 units', () => {
  const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
  valid({ Topic: family.repeat(300) });
  assert.equal(invalid({ Topic: family.repeat(301) }), 'Topic is 301 characters long; the limit is 300');
});

test('Topic length without Intl.Segmenter still counts emoji families, flags and accents as one', () => {
  const bare = loadAddon();
  require('node:vm').runInContext('Intl = undefined;', bare.context);
  const count = (t) => bare.call('vfTextElements_', t);
  assert.equal(count('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'.repeat(3)), 3);
  assert.equal(count('\u{1F1EF}\u{1F1F5}\u{1F1EB}\u{1F1F7}'), 2);
  assert.equal(count('cafe\u0301'), 4);
  assert.equal(count('\u{1F44D}\u{1F3FD}'), 1);
});

test('Platform words are accepted', () => {
  for (const p of ['', 'youtube', 'YouTube', 'tiktok', 'TIKTOK', 'both', 'Both', 'youtube, tiktok', 'TikTok,YouTube', 'youtube, youtube']) valid({ Platform: p });
});

test('Unknown platform is named with the allowed words', () => {
  const cases = {
    facebook: 'Platform "facebook" is not allowed; use youtube, tiktok or both',
    'youtube, instagram': 'Platform "youtube, instagram" is not allowed; use youtube, tiktok or both',
    yt: 'Platform "yt" is not allowed; use youtube, tiktok or both',
    ' , ': 'Platform "," is not allowed; use youtube, tiktok or both',
    // Found by running both validators on 4,000 generated cells: .NET's invariant upper case keeps the dotless ı.
    'tıktok': 'Platform "tıktok" is not allowed; use youtube, tiktok or both',
  };
  for (const [cell, expected] of Object.entries(cases)) assert.equal(invalid({ Platform: cell }), expected);
});

test('Duration forms are accepted', () => {
  for (const d of ['', '45', '45s', '45 s', '45 S', '45 seconds', '0:45', '1:30', '0:00:20', '10', '90']) valid({ Duration: d });
});

test('Bad duration says why', () => {
  const cases = {
    120: 'Duration 120 s is outside 10-90 s',
    9: 'Duration 9 s is outside 10-90 s',
    '91s': 'Duration 91 s is outside 10-90 s',
    0: 'Duration 0 s is outside 10-90 s',
    '2:00': 'Duration 120 s is outside 10-90 s',
    '0:45:00': 'Duration 2700 s is outside 10-90 s',
    abc: 'Duration "abc" is not a length in seconds; write e.g. 45, 45s or 0:45',
    '-30': 'Duration "-30" is not a length in seconds; write e.g. 45, 45s or 0:45',
    45.5: 'Duration "45.5" is not a length in seconds; write e.g. 45, 45s or 0:45',
    '0:75': 'Duration "0:75" is not a length in seconds; write e.g. 45, 45s or 0:45',
    '45 min': 'Duration "45 min" is not a length in seconds; write e.g. 45, 45s or 0:45',
  };
  for (const [cell, expected] of Object.entries(cases)) assert.equal(invalid({ Duration: cell }), expected, cell);
});

test('Language tags are accepted and non tags are rejected', () => {
  for (const l of ['', 'en', 'EN', 'en-US', 'en-us', 'pt-BR', 'ar', 'es-419', 'zh-hant-tw', 'fil']) valid({ Language: l });
  for (const l of ['English', 'en_US', 'e', 'en-', '12', 'en US']) {
    assert.equal(invalid({ Language: l }), `Language "${l}" is not a language tag; write e.g. en, en-US, pt-BR or ar`);
  }
});

test('Publish at accepts iso 8601 and takes a missing offset as utc', () => {
  const cases = {
    '2026-12-01T15:00:00Z': '2026-12-01T15:00:00Z',
    '2026-12-01 15:00+02:00': '2026-12-01T13:00:00Z',
    '2026-12-01T15:00:30.5-05:30': '2026-12-01T20:30:30.500Z',
    '2026-12-01 15:00': '2026-12-01T15:00:00Z',
    '2026-12-01T15:00': '2026-12-01T15:00:00Z',
    '2026-12-01T15:00+0200': '2026-12-01T13:00:00Z',
    '2028-02-29 00:00': '2028-02-29T00:00:00Z',
  };
  for (const [cell, iso] of Object.entries(cases)) {
    valid({ 'Publish At': cell });
    assert.equal(addon.call('vfParsePublishAt_', cell), Date.parse(iso), cell);
  }
});

test('Unparseable publish at quotes the value and an example', () => {
  for (const cell of ['next friday', '12/01/2026 15:00', '2026-12-01', '2026-13-01 15:00', '2027-02-29 10:00', '2026-12-01 24:00',
    '2026-12-01T15:00+02', '2026-12-01T15:00+200', '2026-12-01T15:00+15:00', '2026-12-01T15:00z', '2026-12-01  15:00']) {
    assert.equal(invalid({ 'Publish At': cell }),
      `Publish At "${cell}" is not a date and time; write e.g. 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00`, cell);
  }
});

test('Hashtags are split cleaned and deduplicated', () => {
  for (const h of ['', '#cats #dogs', 'cats,dogs , birds', '#Cats #cats CATS #dogs', '##double #with-dash #emoji🔥 #a.b',
    '# #!! #_ok_', '#مرحبا #日本 #café #2026', '#हिंदी', 'line1\nline2\ttab']) valid({ Hashtags: h });
});

test('Thirty hashtags are accepted and thirty one are not', () => {
  const thirty = Array.from({ length: 30 }, (_, i) => `#tag${i + 1}`).join(' ');
  valid({ Hashtags: thirty });
  valid({ Hashtags: `${thirty} #TAG1 #tag2` });
  assert.equal(invalid({ Hashtags: `${thirty} #tag31` }), 'Hashtags has 31 tags; the limit is 30');
  // Tags that clean to the same word count once; tags that clean to nothing do not count.
  valid({ Hashtags: `${thirty} #tag-1 #!!` });
});

test('Notes are free text', () => valid({ Notes: '=SUM(A1) "quoted", emoji 🎬, عربي\nsecond line' }));

test('Every problem of a row is listed together in column order', () => {
  const tags = Array.from({ length: 31 }, (_, i) => `t${i + 1}`).join(' ');
  const r = validate({ Topic: ' ', Platform: 'myspace', Duration: '120', Language: 'English', 'Publish At': 'soon', Hashtags: tags });
  assert.equal(r.error,
    'Topic is required; '
    + 'Platform "myspace" is not allowed; use youtube, tiktok or both; '
    + 'Duration 120 s is outside 10-90 s; '
    + 'Language "English" is not a language tag; write e.g. en, en-US, pt-BR or ar; '
    + 'Publish At "soon" is not a date and time; write e.g. 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00; '
    + 'Hashtags has 31 tags; the limit is 30');
  assert.equal(r.errors.length, 6);
});

test('Output cells do not affect validation', () => valid({ Status: 'failed', Error: 'old reason', 'Job ID': 'x' }));

test('Defaults fill blank cells before validation, as the backend applies them', () => {
  assert.equal(validate({ Duration: '' }, { Duration: '120' }).error, 'Duration 120 s is outside 10-90 s');
  assert.equal(validate({ Duration: '45' }, { Duration: '120' }).valid, true);
  assert.equal(validate({ Platform: ' ' }, { Platform: 'myspace' }).error, 'Platform "myspace" is not allowed; use youtube, tiktok or both');
});

test('A Publish At in the past is a warning, not an error', () => {
  const now = Date.parse('2026-11-29T19:00:00Z');
  assert.deepEqual(addon.call('vfRowWarnings_', { 'Publish At': '2026-11-01 10:00' }, now),
    ['Publish At "2026-11-01 10:00" is in the past; the video will be published as soon as it is approved']);
  assert.deepEqual(addon.call('vfRowWarnings_', { 'Publish At': '2026-12-01 10:00' }, now), []);
  assert.deepEqual(addon.call('vfRowWarnings_', { 'Publish At': 'soon' }, now), []);
});
