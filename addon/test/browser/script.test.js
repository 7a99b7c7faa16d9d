'use strict';
// The sidebar's script check (Script.gs and its section of Sidebar.html) in headless Chromium, its google.script.run
// answered by the real server code in a vm with the fake sheet and backend, as sidebar.test.js does for the rows view.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { loadAddon, FakeSheet, HEADER } = require('../fakes');

const CHROMIUM = process.env.VF_CHROMIUM || '/usr/bin/chromium';
const JOB = '6a1f0c3e-2b7d-4e59-9a41-0d8c5b7e2f10';
let browser;

before(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium (./vf test does it)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
after(async () => { await browser?.close(); });

/** google.script.run as Apps Script has it (chainable handlers, JSON arguments, asynchronous answers), backed by `addon`. */
async function openSidebar(addon) {
  addon.call('showSidebar');
  const html = addon.ui.sidebars.at(-1).getContent();
  const server = http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }); res.end(html); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await browser.newPage({ viewport: { width: 300, height: 900 } });
  await page.exposeFunction('__serverCall', async (name, argsJson) => {
    await new Promise((r) => setTimeout(r, 15));
    try {
      const fn = addon.context[name];
      if (typeof fn !== 'function' || name.endsWith('_')) throw new Error(`Script function not found: ${name}`);
      const value = fn(...JSON.parse(argsJson));
      return { ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
    } catch (e) {
      return { ok: false, message: e.message };
    }
  });
  await page.addInitScript(`(() => {
    function runner(success, failure) {
      const base = { withSuccessHandler: (f) => runner(f, failure), withFailureHandler: (f) => runner(success, f), withUserObject: () => runner(success, failure) };
      return new Proxy(base, { get(target, name) {
        if (name in target) return target[name];
        return (...args) => window.__serverCall(name, JSON.stringify(args)).then((a) => {
          if (a.ok) { if (success) success(a.value); } else if (failure) failure(new Error(a.message));
        });
      } });
    }
    window.google = { script: { run: runner(), host: { close() {}, editor: { focus() {} } } } };
  })();`);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  return { page, errors, close: async () => { await page.close(); server.close(); } };
}

test('A row waiting for a script check gets Check script; an edit is refused with its problems, then saved and the row goes on', async () => {
  const header = HEADER.concat(['Job ID', 'Status']);
  const waiting = header.map((h) => ({ Topic: 'Three tips for sourdough', Duration: '30', 'Job ID': JOB, Status: 'script-review' }[h] || ''));
  const rendering = header.map((h) => ({ Topic: 'Why cats sleep', Duration: '30', 'Job ID': '7b2f0c3e-2b7d-4e59-9a41-0d8c5b7e2f11', Status: 'render' }[h] || ''));
  const sheet = new FakeSheet('Ideas', [header, waiting, rendering]);
  sheet.select('A2:A3');
  const puts = [];
  const addon = loadAddon({
    sheets: [sheet],
    fetch: (req) => {
      if (req.method === 'get' && req.url.endsWith(`/jobs/${JOB}/script`)) {
        return { code: 200, body: { jobId: JOB, generation: 1, status: 'script-review', topic: 'Three tips for sourdough', title: 'Sourdough, simply',
          hook: 'Your loaf is flat?', beats: [{ narration: 'Feed the starter twice.', cardText: 'Feed it' }, { narration: 'Bake hot.', cardText: 'Bake hot' }],
          callToAction: 'Follow for more bread.', maxCardWords: 6 } };
      }
      if (req.method === 'put') {
        puts.push(req.body);
        return { code: 200, body: { jobId: JOB, outcome: 'continued', message: 'Saved; the video is being made from your script.', status: 'visuals' } };
      }
      return { code: 404, body: { status: 404, detail: 'unexpected' } };
    },
  });
  const ui = await openSidebar(addon);
  const { page } = ui;
  try {
    await page.locator('tr[data-row="2"] button.check-script').waitFor();
    assert.equal(await page.locator('tr[data-row="3"] button.check-script').count(), 0, 'a row that is rendering has nothing to check');

    await page.click('tr[data-row="2"] button.check-script');
    await page.locator('#scriptForm:not([hidden])').waitFor();
    assert.equal(await page.inputValue('#scriptTitle'), 'Sourdough, simply');
    assert.equal(await page.inputValue('#scriptNarration0'), 'Feed the starter twice.');
    assert.equal(await page.inputValue('#scriptCard1'), 'Bake hot');
    assert.match(await page.textContent('#scriptTopic'), /Card texts are at most 6 words\./);

    await page.fill('#scriptNarration0', 'Feed the starter twice a day for a week.');
    await page.fill('#scriptCard1', 'bake it hot and bake it long');
    await page.click('#scriptSave');
    await page.locator('#scriptMessage.error').waitFor();
    assert.equal(await page.textContent('#scriptMessage'), 'The script was not saved:\nThe card text of beat 2 has 7 words; keep it to 6.');
    assert.equal(puts.length, 0, 'an edit that breaks a rule is not sent');

    await page.fill('#scriptCard1', 'Bake it hot');
    await page.click('#scriptSave');
    await page.locator('#scriptMessage.ok').waitFor();
    assert.equal(await page.textContent('#scriptMessage'), 'Saved; the video is being made from your script.');
    assert.deepEqual(puts, [{ generation: 1, title: 'Sourdough, simply', hook: 'Your loaf is flat?', callToAction: 'Follow for more bread.',
      beats: [{ narration: 'Feed the starter twice a day for a week.', cardText: 'Feed it' }, { narration: 'Bake hot.', cardText: 'Bake it hot' }] }]);

    // Back to the rows view.
    await page.click('#scriptBack');
    assert.equal(await page.getAttribute('body', 'data-view'), 'rows');
    assert.deepEqual(ui.errors, []);
  } finally {
    await ui.close();
  }
});
