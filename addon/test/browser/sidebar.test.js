'use strict';
// Sidebar.html in headless Chromium, its google.script.run answered by the real server code (the .gs files in a vm
// with the fake sheet and backend of ../fakes.js), so the test follows a person's click to the rows in the sheet.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { loadAddon, FakeSheet, HEADER, jobsOk } = require('../fakes');

const CHROMIUM = process.env.VF_CHROMIUM || '/usr/bin/chromium';
let browser;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (./vf test does it)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
after(async () => { await browser?.close(); });

// google.script.run as Apps Script has it: chainable handlers, arguments that travel as JSON, asynchronous answers.
const RUN_STAND_IN = `(() => {
  window.__inflight = 0; window.__maxInflight = 0; window.__calls = [];
  function runner(success, failure, user) {
    const base = {
      withSuccessHandler: (f) => runner(f, failure, user),
      withFailureHandler: (f) => runner(success, f, user),
      withUserObject: (u) => runner(success, failure, u),
    };
    return new Proxy(base, { get(target, name) {
      if (name in target) return target[name];
      return (...args) => {
        window.__calls.push(name);
        window.__inflight++; window.__maxInflight = Math.max(window.__maxInflight, window.__inflight);
        window.__serverCall(name, JSON.stringify(args)).then((answer) => {
          window.__inflight--;
          if (answer.ok) { if (success) success(answer.value, user); }
          else if (failure) failure(new Error(answer.message), user);
        });
      };
    } });
  }
  window.google = { script: { run: runner(), host: { close() {}, editor: { focus() {} } } } };
})();`;

/** Opens the sidebar the server produced (showSidebar/showSettings) with google.script.run wired to `addon`. */
async function openSidebar(addon, menuFunction = 'showSidebar') {
  addon.call(menuFunction);
  const html = addon.ui.sidebars.at(-1).getContent();
  const server = http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }); res.end(html); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await browser.newPage({ viewport: { width: 300, height: 700 } }); // a Sheets sidebar is 300 px wide
  const calls = [];
  await page.exposeFunction('__serverCall', async (name, argsJson) => {
    calls.push(name);
    await new Promise((r) => setTimeout(r, 15)); // a round trip, so that calls overlap as they do in Sheets
    try {
      const fn = addon.context[name];
      if (typeof fn !== 'function' || name.endsWith('_')) throw new Error(`Script function not found: ${name}`);
      const value = fn(...JSON.parse(argsJson));
      return { ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
    } catch (e) {
      return { ok: false, message: e.message };
    }
  });
  await page.addInitScript(RUN_STAND_IN);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  return { page, calls, errors, close: async () => { await page.close(); server.close(); } };
}

function ideas(n) {
  const rows = [HEADER];
  for (let i = 1; i <= n; i++) rows.push(HEADER.map((h) => (h === 'Topic' ? `Idea ${i}` : '')));
  return rows;
}

test('Invalid rows are reported before sending, Submit sends only the valid ones, and their Job IDs appear', async () => {
  const rows = ideas(120);
  rows[2][2] = '500';          // sheet row 3: Duration
  rows[49][1] = 'myspace';     // sheet row 50: Platform
  const sheet = new FakeSheet('Ideas', rows);
  sheet.select('A2:A121');
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const ui = await openSidebar(addon);
  const { page } = ui;
  try {
    await page.locator('#message').filter({ hasText: '120 rows selected' }).waitFor();
    assert.equal(await page.textContent('#message'), '120 rows selected in "Ideas": 118 ready, 2 with problems (not sent).');
    assert.equal(await page.textContent('tr[data-row="3"] .note.error'), 'Duration 500 s is outside 10-90 s');
    assert.equal(await page.textContent('tr[data-row="50"] .note.error'), 'Platform "myspace" is not allowed; use youtube, tiktok or both');
    assert.equal(await page.locator('.note.error').count(), 2);
    assert.equal(addon.urlFetch.requests.length, 0, 'nothing is sent before Submit');

    await page.click('#submit');
    await page.locator('#message').filter({ hasText: 'have a Job ID' }).waitFor();
    assert.equal(await page.textContent('#message'), '118 rows have a Job ID.');

    const sent = addon.urlFetch.requests.map((r) => r.body.rows.map((x) => x.rowNumber + 1));
    assert.deepEqual(sent.map((b) => b.length).sort((a, b) => b - a), [50, 50, 18]);
    assert.deepEqual(sent.flat().sort((a, b) => a - b), Array.from({ length: 120 }, (_, i) => i + 2).filter((r) => r !== 3 && r !== 50));
    assert.equal(await page.textContent('tr[data-row="2"] .job-id'), 'job-1');
    assert.equal(await page.textContent('tr[data-row="121"] .job-id'), 'job-120');
    assert.equal(await page.locator('tr[data-row="3"] .job-id').count(), 0);
    assert.equal(await page.locator('.job-id').count(), 118);
    assert.equal(sheet.text(121, sheet.columnOf('Job ID')), 'job-120');
    assert.equal(sheet.text(3, sheet.columnOf('Job ID')), '');
    const maxInflight = await page.evaluate(() => window.__maxInflight);
    assert.ok(maxInflight > 1 && maxInflight <= 10, `at most 10 google.script.run calls at once, saw ${maxInflight}`);

    // Progress comes from the sheet's Status cells, which the backend writes.
    sheet.getRange(2, sheet.columnOf('Status')).setValue('published');
    await page.locator('tr[data-row="2"] .note.status').filter({ hasText: 'published' }).waitFor({ timeout: 15000 });
    assert.ok(ui.calls.includes('readProgress'));
    assert.ok(!addon.urlFetch.requests.some((r) => r.url.includes('/jobs/status')), 'progress does not poll the backend');
    assert.deepEqual(ui.errors, []);
    // For a person to look at: addon/test-results/sidebar.png (ignored by git).
    const shots = require('node:path').join(__dirname, '..', '..', 'test-results');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: require('node:path').join(shots, 'sidebar.png') });
  } finally {
    await ui.close();
  }
});

test('A refused submission shows the backend\'s detail and no Job IDs', async () => {
  const sheet = new FakeSheet('Ideas', ideas(3));
  sheet.select('A2:A4');
  const addon = loadAddon({
    sheets: [sheet],
    fetch: () => ({ code: 403, body: { title: 'Forbidden', status: 403, detail: 'bob@example.org is not on the allow-list.' } }),
  });
  const ui = await openSidebar(addon);
  try {
    await ui.page.locator('#message').filter({ hasText: '3 ready' }).waitFor();
    await ui.page.click('#submit');
    await ui.page.locator('#message').filter({ hasText: 'have a Job ID' }).waitFor();
    const message = await ui.page.textContent('#message');
    assert.match(message, /^0 rows have a Job ID\.\nSubmitting rows 2-4 failed: your account may not use this ViralForge backend \(403\): bob@example\.org is not on the allow-list\./);
    assert.equal(await ui.page.locator('.job-id').count(), 0);
    assert.equal(await ui.page.locator('tr[data-row="4"] .note.error').count(), 1);
  } finally {
    await ui.close();
  }
});

test('A sheet without a header row shows what to fix and Submit stays off', async () => {
  const sheet = new FakeSheet('Ideas', [['cats'], ['dogs']]);
  sheet.select('A2');
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const ui = await openSidebar(addon);
  try {
    await ui.page.locator('#message.error').waitFor();
    assert.match(await ui.page.textContent('#message'), /^No header row found in "Ideas": put the column names/);
    assert.equal(await ui.page.isDisabled('#submit'), true);
  } finally {
    await ui.close();
  }
});

test('Changing a default option validates the rows again with it', async () => {
  const sheet = new FakeSheet('Ideas', ideas(2));
  sheet.select('A2:A3');
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const ui = await openSidebar(addon);
  try {
    await ui.page.locator('#message').filter({ hasText: '2 ready' }).waitFor();
    await ui.page.fill('#optDuration', '120');
    await ui.page.dispatchEvent('#optDuration', 'change');
    await ui.page.locator('#message').filter({ hasText: '0 ready' }).waitFor();
    assert.equal(await ui.page.textContent('tr[data-row="2"] .note.error'), 'Duration 120 s is outside 10-90 s');
    assert.equal(await ui.page.isDisabled('#submit'), true);
    assert.equal(addon.call('getSidebarState').defaults.Duration, '120');
  } finally {
    await ui.close();
  }
});

test('Settings issues an API key through the server and shows that one is set', async () => {
  const sheet = new FakeSheet('Ideas', ideas(1));
  const addon = loadAddon({ sheets: [sheet], fetch: () => ({ code: 200, body: { key: 'vfk_new', createdAt: '2026-11-29T18:00:00Z' } }) });
  const ui = await openSidebar(addon, 'showSettings');
  try {
    assert.equal(await ui.page.isVisible('#settings'), true);
    assert.equal(await ui.page.isVisible('#rows'), false);
    await ui.page.locator('#keyState').filter({ hasText: 'No API key yet' }).waitFor();
    await ui.page.click('#issueKey');
    await ui.page.locator('#keyState').filter({ hasText: 'An API key is set (issued 2026-11-29T18:00:00Z).' }).waitFor();
    assert.equal(addon.properties.getProperty('viralforge.apiKey'), 'vfk_new');
    assert.doesNotMatch(await ui.page.content(), /vfk_new/);
  } finally {
    await ui.close();
  }
});

test('A batch answered 429 is sent again after Retry-After and its Job IDs still appear', async () => {
  const sheet = new FakeSheet('Ideas', ideas(60));
  sheet.select('A2:A61');
  let refused = 0;
  const ok = jobsOk();
  const addon = loadAddon({
    sheets: [sheet],
    fetch: (req) => {
      if (req.body.rows[0].rowNumber === 51 && refused === 0) {
        refused++;
        return { code: 429, headers: { 'Retry-After': '1' }, body: { status: 429, detail: 'Too many requests from ana@example.com: 60 a minute are allowed; try again in 1 s.' } };
      }
      return ok(req);
    },
  });
  const ui = await openSidebar(addon);
  try {
    await ui.page.locator('#message').filter({ hasText: '60 ready' }).waitFor();
    await ui.page.click('#submit');
    await ui.page.locator('#message').filter({ hasText: 'have a Job ID' }).waitFor();
    assert.equal(await ui.page.textContent('#message'), '60 rows have a Job ID.');
    assert.equal(refused, 1);
    assert.deepEqual(addon.urlFetch.requests.map((r) => r.body.rows.length).sort(), [10, 10, 50]);
    assert.equal(sheet.text(61, sheet.columnOf('Job ID')), 'job-60');
  } finally {
    await ui.close();
  }
});

test('Each row links its video and preview from the sheet, opened in a new tab, and a cell that is no web address is no link', async () => {
  const header = [...HEADER, 'Job ID', 'Status', 'Stage', 'Video', 'Preview'];
  const row = (topic, id, status, stage, video, preview) => [...HEADER.map((h) => (h === 'Topic' ? topic : '')), id, status, stage, video, preview];
  const sheet = new FakeSheet('Ideas', [
    header,
    row('Cats', 'job-1', 'scheduled', 'live 2026-12-08 17:00 UTC (in 20 h)', 'https://youtu.be/abc', 'https://storage.googleapis.com/vf/job-1/thumbnail.jpg?X-Goog-Signature=1'),
    row('Dogs', 'job-2', 'render', 'render 45%', '', ''),
    row('Birds', 'job-3', 'published', 'publish', 'javascript:alert(1)', ''),
  ]);
  sheet.select('A2:A4');
  const addon = loadAddon({ sheets: [sheet], fetch: jobsOk() });
  const ui = await openSidebar(addon);
  const { page } = ui;
  try {
    // Rows submitted earlier: their progress is read from the sheet when the selection is.
    await page.locator('tr[data-row="2"] a.video').waitFor({ timeout: 15000 });
    assert.equal(await page.getAttribute('tr[data-row="2"] a.video', 'href'), 'https://youtu.be/abc');
    assert.equal(await page.getAttribute('tr[data-row="2"] a.video', 'target'), '_blank');
    assert.equal(await page.getAttribute('tr[data-row="2"] a.preview', 'href'), 'https://storage.googleapis.com/vf/job-1/thumbnail.jpg?X-Goog-Signature=1');
    assert.equal(await page.textContent('tr[data-row="2"] .note.status'), 'scheduled (live 2026-12-08 17:00 UTC (in 20 h))');
    assert.equal(await page.textContent('tr[data-row="3"] .note.status'), 'render 45%');
    assert.equal(await page.locator('tr[data-row="3"] .links').count(), 0);
    assert.equal(await page.locator('tr[data-row="4"] a').count(), 0);
    assert.equal(await page.textContent('tr[data-row="4"] code.video'), 'Video: javascript:alert(1)');

    // A row that finishes later gets its link on the next poll.
    sheet.getRange(3, sheet.columnOf('Status')).setValue('published');
    sheet.getRange(3, sheet.columnOf('Video')).setValue('https://youtu.be/dog');
    await page.locator('tr[data-row="3"] a.video').waitFor({ timeout: 15000 });
    assert.equal(await page.getAttribute('tr[data-row="3"] a.video', 'href'), 'https://youtu.be/dog');
    assert.deepEqual(ui.errors, []);
    const shots = require('node:path').join(__dirname, '..', '..', 'test-results');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: require('node:path').join(shots, 'sidebar-links.png') });
  } finally {
    await ui.close();
  }
});
