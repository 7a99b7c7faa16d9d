'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon, FakeSheet, HEADER } = require('../fakes');

function ideas(n, header = HEADER) {
  const rows = [header];
  for (let i = 1; i <= n; i++) rows.push(header.map((h) => (h === 'Topic' ? `Idea ${i}` : '')));
  return rows;
}

test('A tab without a header row says to put the column names in row 1', () => {
  const sheet = new FakeSheet('Ideas', [['cats', 'dogs'], ['more', 'stuff']]);
  sheet.select('A1:B2');
  const addon = loadAddon({ sheets: [sheet] });
  assert.throws(() => addon.context.readSelection(), {
    message: 'No header row found in "Ideas": put the column names (Topic, Platform, Duration, Style, Voice, Language, Publish At, Hashtags, Notes) in row 1.',
  });
});

test('A header row without Topic names the headers it found', () => {
  const sheet = new FakeSheet('Ideas', [['Subject', 'Platform', 'Duration'], ['Cats', 'youtube', '30']]);
  sheet.select('A2');
  const addon = loadAddon({ sheets: [sheet] });
  assert.throws(() => addon.context.readSelection(), {
    message: 'The header row of "Ideas" has no Topic column; headers found: "Subject", "Platform", "Duration". Add a column named Topic.',
  });
});

test('A header found below row 1 is named, because the backend reads row 1', () => {
  const sheet = new FakeSheet('Ideas', [['My video ideas'], [], ['Topic', 'Platform'], ['Cats', 'youtube']]);
  sheet.select('A4');
  const addon = loadAddon({ sheets: [sheet] });
  assert.throws(() => addon.context.readSelection(), /The header row of "Ideas" is row 3; ViralForge needs it in row 1/);
});

test('An empty tab says so', () => {
  const sheet = new FakeSheet('Empty', []);
  const addon = loadAddon({ sheets: [sheet] });
  assert.throws(() => addon.context.readSelection(), /The tab "Empty" is empty/);
});

test('Columns are found by header text in any order and any case', () => {
  const sheet = new FakeSheet('Ideas', [
    ['Notes', 'my own column', ' duration ', 'TOPIC', 'platform', 'Job ID'],
    ['n1', 'mine', '120', 'Cats', 'tiktok', 'old-job'],
    ['n2', 'mine', '45', 'Dogs', 'myspace', ''],
  ]);
  sheet.select('B2:B3');
  const addon = loadAddon({ sheets: [sheet] });
  const answer = addon.call('readSelection');
  assert.equal(answer.sheetName, 'Ideas');
  assert.deepEqual(answer.rows, [
    { rowNumber: 2, topic: 'Cats', jobId: 'old-job', status: '', errors: ['Duration 120 s is outside 10-90 s'], warnings: [] },
    { rowNumber: 3, topic: 'Dogs', jobId: '', status: '', errors: ['Platform "myspace" is not allowed; use youtube, tiktok or both'], warnings: [] },
  ]);
});

test('Non-contiguous selections give each row once, in sheet order, header excluded', () => {
  const sheet = new FakeSheet('Ideas', ideas(30));
  sheet.select('A20:C22', 'B1:B3', 'D2', 'A10', 'C21:C25');
  const addon = loadAddon({ sheets: [sheet] });
  assert.deepEqual(addon.call('readSelection').rows.map((r) => r.rowNumber), [2, 3, 10, 20, 21, 22, 23, 24, 25]);
});

test('Hidden and filtered-out rows inside a selected block count as selected', () => {
  const sheet = new FakeSheet('Ideas', ideas(6));
  sheet.hidden.add(3);
  sheet.filtered.add(5);
  sheet.select('A2:A6');
  const addon = loadAddon({ sheets: [sheet] });
  assert.deepEqual(addon.call('readSelection').rows.map((r) => r.rowNumber), [2, 3, 4, 5, 6]);
});

test('A whole-column selection stops at the last row with content and skips blank rows', () => {
  const rows = ideas(5);
  rows[3] = HEADER.map(() => '');
  const sheet = new FakeSheet('Ideas', rows, { maxRows: 50000 });
  sheet.select('A:A');
  const addon = loadAddon({ sheets: [sheet] });
  const answer = addon.call('readSelection');
  assert.deepEqual(answer.rows.map((r) => r.rowNumber), [2, 3, 5, 6]);
  assert.equal(answer.blankRows, 1);
  assert.ok(sheet.reads < 20, `read ${sheet.reads} ranges`);
});

test('Cells are read as the backend reads them: formulas as text, numbers as digits, dates as shown', () => {
  const sheet = new FakeSheet('Ideas', [HEADER,
    ['Cats', 'youtube', 45, '', '', '', new Date(Date.UTC(2026, 11, 1, 15, 0, 0)), '', ''],
    ['=A2&"!"', '', '', '', '', '', '2026-12-01 15:00', '', ''],
  ]);
  sheet.setFormula(3, 1, '=A2&"!"');
  sheet.select('A2:A3');
  const addon = loadAddon({ sheets: [sheet] });
  const rows = addon.call('readSelection').rows;
  // A date cell shows as 12/1/2026 15:00:00, which the backend refuses too: the person sees why before sending.
  assert.deepEqual(rows[0].errors, ['Publish At "12/1/2026 15:00:00" is not a date and time; write e.g. 2026-12-01 15:00 (UTC) or 2026-12-01T15:00:00+02:00']);
  assert.equal(rows[1].topic, '=A2&"!"');
  assert.deepEqual(rows[1].errors, []);
});

test('The sidebar defaults take part in validation of blank cells', () => {
  const sheet = new FakeSheet('Ideas', ideas(2));
  sheet.select('A2:A3');
  const addon = loadAddon({ sheets: [sheet] });
  const rows = addon.call('readSelection', { Duration: '5' }).rows;
  assert.deepEqual(rows.map((r) => r.errors), [['Duration 5 s is outside 10-90 s'], ['Duration 5 s is outside 10-90 s']]);
});

test('Nothing selected gives no rows rather than an error', () => {
  const sheet = new FakeSheet('Ideas', ideas(2));
  sheet.select('A1');
  const addon = loadAddon({ sheets: [sheet] });
  assert.deepEqual(addon.call('readSelection').rows, []);
});
