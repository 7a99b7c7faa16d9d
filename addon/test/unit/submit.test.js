'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { loadAddon, FakeSheet, HEADER, jobsOk } = require('../fakes');

function ideas(n) {
  const rows = [HEADER];
  for (let i = 1; i <= n; i++) rows.push(HEADER.map((h) => (h === 'Topic' ? `Idea ${i}` : h === 'Notes' ? `note ${i}` : '')));
  return rows;
}
const DEFAULTS = { Platform: 'youtube', Style: 'clean', Voice: 'default', Duration: '30' };
const jobRequests = (addon) => addon.urlFetch.requests.filter((r) => r.url === 'https://BACKEND_URL/jobs');

test('A batch is one POST /jobs with the identity token, JSON, the input cells and the defaults', () => {
  const sheet = new FakeSheet('Ideas', [HEADER, ['Cats', 'tiktok', '  ', '', '', '', '', '#a', 'n']]);
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2], defaults: { ...DEFAULTS, Duration: '45' } });
  const [req] = addon.urlFetch.requests;
  assert.equal(req.method, 'post');
  assert.equal(req.contentType, 'application/json');
  assert.equal(req.muteHttpExceptions, true);
  assert.equal(req.headers.Authorization, 'Bearer google-id-token');
  assert.deepEqual(req.body, {
    spreadsheetId: 'sheet-file-1',
    sheetName: 'Ideas',
    // rowNumber is SheetRow.RowNumber: the data row, header excluded. A blank (spaces only) cell goes as "".
    // jobId is the Job ID cell: null here, where the tab has no Job ID column yet.
    rows: [{ rowNumber: 1, cells: { Topic: 'Cats', Platform: 'tiktok', Duration: '', Style: '', Voice: '', Language: '', 'Publish At': '', Hashtags: '#a', Notes: 'n', Languages: '' }, jobId: null }],
    defaults: { ...DEFAULTS, Duration: '45' },
  });
});

test('Each row goes with its Job ID cell as jobId, so the backend can cancel the job of an edited row', () => {
  const id = '6a1f0c3e-2b7d-4e59-9a41-0d8c5b7e2f10';
  const sheet = new FakeSheet('Ideas', [
    ['Topic', 'Job ID', 'Status'],
    ['Four tips for sourdough', id, 'script'],
    ['Cats', '', ''],
    ['Dogs', `  ${id.toUpperCase()} `, 'queued'],
    ['Birds', '   ', ''],
  ]);
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk((r) => (r.rowNumber === 1 ? { jobId: 'new-job' } : {})) });
  const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3, 4, 5], defaults: DEFAULTS });
  const [req] = jobRequests(addon);
  assert.deepEqual(req.body.rows.map((r) => [r.rowNumber, r.jobId]), [[1, id], [2, null], [3, id.toUpperCase()], [4, null]]);
  assert.ok(req.body.rows.every((r) => !('Job ID' in r.cells)), 'the Job ID goes as jobId, not among the input cells');
  // The answer's Job ID replaces the old one in the row.
  assert.equal(answer.results[0].jobId, 'new-job');
  assert.equal(sheet.text(2, 2), 'new-job');
  assert.equal(sheet.text(2, 3), 'queued');
});

test('Job IDs land in the Job ID column of their own rows and no input cell is written', () => {
  const sheet = new FakeSheet('Ideas', ideas(5));
  const before = sheet.cells.map((r) => r.slice());
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [4, 2, 6], defaults: DEFAULTS });
  assert.deepEqual(answer.results.map((r) => [r.rowNumber, r.jobId, r.status, r.error]),
    [[2, 'job-1', 'queued', null], [4, 'job-3', 'queued', null], [6, 'job-5', 'queued', null]]);
  // Missing output columns are created right of the data, in contract order.
  assert.deepEqual(sheet.header().slice(9),
    ['Job ID', 'Status', 'Stage', 'Video', 'Preview', 'Published URL', 'Error', 'Cost', 'Updated', 'Views', 'Likes', 'Avg View %', 'Metrics Updated']);
  const jobCol = sheet.columnOf('Job ID');
  assert.equal(sheet.text(2, jobCol), 'job-1');
  assert.equal(sheet.text(3, jobCol), '');
  assert.equal(sheet.text(4, jobCol), 'job-3');
  assert.equal(sheet.text(6, jobCol), 'job-5');
  assert.equal(sheet.text(4, sheet.columnOf('Status')), 'queued');
  for (const w of sheet.writes.filter((x) => x.row > 1)) assert.ok(w.column >= 10, `wrote into input column ${w.column}`);
  for (let r = 0; r < before.length; r++) assert.deepEqual(sheet.cells[r].slice(0, 9), before[r].slice(0, 9));
  assert.ok(sheet.writes.every((w) => typeof w.value === 'string'));
});

test('Output columns are added right of the widest row, growing the grid when it is full', () => {
  const rows = ideas(2);
  rows[2][11] = 'someone\'s own note';
  const sheet = new FakeSheet('Ideas', rows, { maxColumns: 12 });
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3], defaults: DEFAULTS });
  assert.equal(sheet.columnOf('Job ID'), 13);
  assert.equal(sheet.value(3, 12), 'someone\'s own note');
  // 12 columns of data, then the 13 output columns from column 13 on.
  assert.equal(sheet.getMaxColumns(), 25);
});

test('Existing output columns are used where they stand', () => {
  const sheet = new FakeSheet('Ideas', [['Status', 'Topic', 'Job ID'], ['', 'Cats', '']]);
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2], defaults: DEFAULTS });
  assert.equal(sheet.text(2, 3), 'job-1');
  assert.equal(sheet.text(2, 1), 'queued');
  assert.equal(sheet.text(2, 2), 'Cats');
});

test('Text the backend sends back never becomes a formula in the sheet', () => {
  const sheet = new FakeSheet('Ideas', ideas(4));
  const evil = ['=HYPERLINK("https://evil.example","click")', '+1+2', '-cmd', '@SUM(A1)'];
  const addon = loadAddon({
    sheets: [sheet],
    fetch: jobsOk((r) => ({ jobId: `j${r.rowNumber}`, status: evil[r.rowNumber - 1], error: evil[r.rowNumber - 1] })),
  });
  addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3, 4, 5], defaults: DEFAULTS });
  assert.equal(sheet.formulas.size, 0, `formulas: ${[...sheet.formulas.values()]}`);
  evil.forEach((text, i) => {
    assert.equal(sheet.text(i + 2, sheet.columnOf('Status')), text);
    assert.equal(sheet.text(i + 2, sheet.columnOf('Error')), text);
  });
  assert.ok(sheet.writes.some((w) => w.value === "'=HYPERLINK(\"https://evil.example\",\"click\")"));
});

test('1,000 selected rows go as 20 batches of 50, ten requests at a time, every Job ID in its row', () => {
  const sheet = new FakeSheet('Ideas', ideas(1000), { maxRows: 1001 });
  sheet.select('A2:A1001');
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const outcome = addon.call('submitSelectedRows');
  const reqs = jobRequests(addon);
  assert.equal(reqs.length, 20);
  assert.deepEqual(addon.urlFetch.fetchAllCalls, [10, 10]);
  assert.ok(reqs.every((r) => r.body.rows.length === 50));
  assert.deepEqual(reqs.flatMap((r) => r.body.rows.map((x) => x.rowNumber)), Array.from({ length: 1000 }, (_, i) => i + 1));
  assert.equal(outcome.results.length, 1000);
  const jobCol = sheet.columnOf('Job ID');
  for (let row = 2; row <= 1001; row++) {
    assert.equal(sheet.text(row, jobCol), `job-${row - 1}`);
    assert.equal(sheet.text(row, 1), `Idea ${row - 1}`);
  }
  assert.match(addon.ui.alerts[0].message, /^1000 rows submitted; 0 not\./);
});

test('A non-contiguous selection is batched in sheet order with invalid rows left out', () => {
  const rows = ideas(130);
  rows[5][2] = '500'; // row 6: Duration out of range
  const sheet = new FakeSheet('Ideas', rows);
  sheet.select('A100:A131', 'B2:B40', 'C60');
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const outcome = addon.call('submitSelectedRows');
  const sent = jobRequests(addon).map((r) => r.body.rows.map((x) => x.rowNumber + 1));
  assert.deepEqual(sent.map((b) => b.length), [50, 21]);
  const expected = [...Array.from({ length: 39 }, (_, i) => i + 2), 60, ...Array.from({ length: 32 }, (_, i) => i + 100)].filter((r) => r !== 6);
  assert.deepEqual(sent.flat(), expected);
  const bad = outcome.results.find((r) => r.rowNumber === 6);
  assert.deepEqual(bad, { rowNumber: 6, jobId: null, created: false, status: 'invalid', error: 'Duration 500 s is outside 10-90 s' });
  assert.equal(sheet.text(6, sheet.columnOf('Job ID')), '');
  assert.match(addon.ui.alerts[0].message, /71 rows submitted; 1 not\.\nRow 6: Duration 500 s is outside 10-90 s/);
});

test('A row the backend finds invalid gets Status invalid and its reason, the others go on', () => {
  const sheet = new FakeSheet('Ideas', ideas(2));
  const addon = loadAddon({
    sheets: [sheet],
    fetch: jobsOk((r) => (r.rowNumber === 1 ? { jobId: null, created: false, status: 'invalid', error: 'Topic is empty.' } : {})),
  });
  const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3], defaults: DEFAULTS });
  assert.equal(answer.results[0].error, 'Topic is empty.');
  assert.equal(sheet.text(2, sheet.columnOf('Status')), 'invalid');
  assert.equal(sheet.text(2, sheet.columnOf('Error')), 'Topic is empty.');
  assert.equal(sheet.text(2, sheet.columnOf('Job ID')), '');
  assert.equal(sheet.text(3, sheet.columnOf('Job ID')), 'job-2');
});

const problem = (status, detail, headers) => () => ({
  code: status, headers: { 'Content-Type': 'application/problem+json', ...(headers || {}) },
  body: { type: 'about:blank', title: 'Problem', status, detail },
});

for (const [status, detail, expected, headers] of [
  [401, 'The token has expired.', /^Submitting rows 2-3 failed: the backend did not accept your sign-in \(401\): The token has expired\. /],
  [403, 'ana@example.com is not allowed.', /^Submitting rows 2-3 failed: your account may not use this ViralForge backend \(403\): ana@example\.com is not allowed\. Ask its administrator/],
  [429, 'Too many requests from ana@example.com: 60 a minute are allowed; try again in 12 s.', /\(429\): Too many requests from ana@example\.com: 60 a minute are allowed; try again in 12 s\. Try again in 12 s\.$/, { 'Retry-After': '12' }],
  [500, 'Database unavailable', /^Submitting rows 2-3 failed: the backend had a problem \(500\): Database unavailable\. Nothing is lost/],
  [400, 'At most 100 rows per request.', /^Submitting rows 2-3 failed: the backend refused the request \(400\): At most 100 rows per request\.$/],
]) {
  test(`An answer ${status} shows the backend's detail on every row of the batch and writes nothing`, () => {
    const sheet = new FakeSheet('Ideas', ideas(2));
    const addon = loadAddon({ sheets: [sheet], fetch: problem(status, detail, headers) });
    const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3], defaults: DEFAULTS });
    assert.equal(answer.problems.length, 1);
    assert.equal(answer.problems[0].status, status);
    assert.equal(answer.problems[0].retryAfter, status === 429 ? 12 : 0);
    assert.match(answer.problems[0].message, expected);
    assert.deepEqual(answer.results.map((r) => [r.rowNumber, r.jobId, r.error]), [[2, null, answer.problems[0].message], [3, null, answer.problems[0].message]]);
    assert.deepEqual(sheet.writes, []);
  });
}

test('A 502 from a proxy with an HTML page shows the start of the page', () => {
  const sheet = new FakeSheet('Ideas', ideas(1));
  const addon = loadAddon({ sheets: [sheet], fetch: () => ({ code: 502, body: '<html><body>Bad gateway</body></html>' }) });
  const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2], defaults: DEFAULTS });
  assert.match(answer.problems[0].message, /\(502\): <html><body>Bad gateway<\/body><\/html>\. Nothing is lost/);
});

test('A malformed 200 answer is reported, not written', () => {
  for (const body of ['{"results": [', '{"results": []}', '{"results": [{"rowNumber": 99, "jobId": "x"}]}', '[]']) {
    const sheet = new FakeSheet('Ideas', ideas(1));
    const addon = loadAddon({ sheets: [sheet], fetch: () => ({ code: 200, body }) });
    const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2], defaults: DEFAULTS });
    assert.equal(answer.results[0].jobId, null, body);
    assert.match(answer.results[0].error, /not JSON|one result per row/, body);
    assert.deepEqual(sheet.writes, [], body);
  }
});

test('A row edited while its batch was in flight keeps its cells, and the result says so', () => {
  const sheet = new FakeSheet('Ideas', ideas(2));
  const addon = loadAddon({
    sheets: [sheet],
    fetch: (req) => { sheet.cells[1][0] = 'Changed my mind'; return jobsOk()(req); },
  });
  const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3], defaults: DEFAULTS });
  assert.equal(answer.results[0].error, 'Row 2 changed while it was being submitted, so nothing was written into it (its Job ID is job-1).');
  assert.equal(sheet.text(2, sheet.columnOf('Job ID')), '');
  assert.equal(sheet.text(3, sheet.columnOf('Job ID')), 'job-2');
});

test('Only valid rows are sent; with none valid nothing is fetched', () => {
  const sheet = new FakeSheet('Ideas', [HEADER, ['', 'youtube'], ['Cats', 'yt']]);
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3], defaults: DEFAULTS });
  assert.deepEqual(answer.results.map((r) => r.error), ['Topic is required', 'Platform "yt" is not allowed; use youtube, tiktok or both']);
  assert.equal(addon.urlFetch.requests.length, 0);
});

test('The sidebar may not send more than one batch per call', () => {
  const sheet = new FakeSheet('Ideas', ideas(60));
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  assert.throws(() => addon.context.submitRows({ sheetName: 'Ideas', rowNumbers: Array.from({ length: 51 }, (_, i) => i + 2), defaults: DEFAULTS }),
    { message: 'Send at most 50 rows per call.' });
});

test('A tab renamed since the selection was read says so', () => {
  const addon = loadAddon({ sheets: [new FakeSheet('Ideas', ideas(1))], fetch: jobsOk() });
  assert.throws(() => addon.context.submitRows({ sheetName: 'Old name', rowNumbers: [2], defaults: DEFAULTS }), /The tab "Old name" is gone/);
});

test('Without an identity token the message names the missing openid permission', () => {
  const addon = loadAddon({ sheets: [new FakeSheet('Ideas', ideas(1))], fetch: jobsOk(), identityToken: null });
  assert.throws(() => addon.context.submitRows({ sheetName: 'Ideas', rowNumbers: [2], defaults: DEFAULTS }), /"openid" permission/);
});

test('The menu reports a missing header in an alert', () => {
  const sheet = new FakeSheet('Ideas', [['a', 'b'], ['c', 'd']]);
  sheet.select('A2');
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  assert.equal(addon.call('submitSelectedRows'), null);
  assert.match(addon.ui.alerts[0].message, /^No header row found in "Ideas"/);
});

test('Submitting the same rows again asks again and writes the same Job IDs', () => {
  const sheet = new FakeSheet('Ideas', ideas(2));
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk((r) => ({ created: false })) });
  addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3], defaults: DEFAULTS });
  addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: [2, 3], defaults: DEFAULTS });
  assert.equal(sheet.header().filter((h) => h === 'Job ID').length, 1);
  assert.equal(sheet.text(3, sheet.columnOf('Job ID')), 'job-2');
});

test('Row numbers from the sidebar are taken as numbers, and rows outside the data are ignored', () => {
  const sheet = new FakeSheet('Ideas', ideas(12));
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const answer = addon.call('submitRows', { sheetName: 'Ideas', rowNumbers: ['12', 13, 1, 0, -4, 2.5, 'x', 999], defaults: DEFAULTS });
  assert.deepEqual(answer.results.map((r) => r.rowNumber), [12, 13]);
  assert.deepEqual(addon.urlFetch.requests[0].body.rows.map((r) => r.rowNumber), [11, 12]);
});
