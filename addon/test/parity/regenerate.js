'use strict';
// Records what the backend's RowValidator says about a few thousand generated rows, for unit/parity.test.js.
// Run after changing RowValidator.cs (needs the .NET SDK):  node test/parity/regenerate.js
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const fs = require('fs');
let seed = 42; const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const pick = (a) => a[rnd(a.length)];
const alpha = ['0','1','2','5','9',':','-','+','T',' ','Z','z','.','s','S','e','c','a','#',',','\t','\n','\u00a0','\u0085','\ufeff','\u200b','é','\u0301','日','🔥','_','!','y','o','u','t','b','i','k','h','x','A','B','/','\u2007','\u3000'];
const rand = (len) => Array.from({ length: len }, () => pick(alpha)).join('');
const seeds = {
  Topic: ['a', '  x ', '', '\ufeff', '\u0085', '\u200b', 'é'.repeat(301), 'e\u0301'.repeat(300), 'e\u0301'.repeat(301), '🇯🇵'.repeat(300), '🇯🇵'.repeat(301), '👍🏽'.repeat(301), '\r\n'.repeat(150)+'a', 'ก'.repeat(299)+'กำ'],
  Platform: ['youtube', 'YOUTUBE,', ',,', 'both both', 'tiktok\u00a0youtube', 'youtube\u200btiktok', 'yOuTuBe', 'youtube;tiktok', 'TİKTOK', 'tıktok', 'youtube\ufefftiktok'],
  Duration: ['45', '45sec', '45secs', '45 second', '45  s', '045', '000000045', '0000000045', '1:00:00', '999:9999:59', '0:0:45', '00:45', '1:5', '45\u00a0s', '４５', '45S', '45Seconds', ' 45s ', '10s', '90s', '9s'],
  Language: ['en-Latn', 'en-Latn-US', 'en-US-posix', 'de-DE-1996', 'sl-rozaj-biske', 'en-1234', 'en-a234', 'en-US-', 'zh-Hant-TW-abcde', 'eng', 'engl', 'i-klingon', 'x-private', 'en-001', 'EN-us'],
  'Publish At': ['2026-12-01 15:00Z', '2026-12-01T15:00:00.1234567Z', '2026-12-01T15:00:00.12345678Z', '2026-12-01T15:00:00.Z', '2026-12-01T15:00:00.', '2026-12-01T15:00+14:00', '2026-12-01T15:00+14:01', '2026-12-01T15:00-14:00', '2026-12-01T15:00+1:30', '2026-12-01T15:00+130', '2026-12-01T15:00+01:60', '2026-12-01T15:00 +01:00', '0001-01-01 00:00', '0001-01-01 00:00+01:00', '0001-01-01 00:00-01:00', '9999-12-31 23:59:59Z', '9999-12-31 23:59-01:00', '0000-01-01 00:00', '2026-02-29 10:00', '2024-02-29 10:00', '1900-02-29 10:00', '2000-02-29 10:00', '2026-12-01t15:00', '2026-12-01T15:00:60', '2026-12-01T15:60', '2026-1-01 15:00', '2026-12-01T15:00:00+02:00:00', '２０２６-12-01 15:00', '2026-12-01T15:00:00,5Z', '2026-12-01T15:00+00', '2026-12-01T15:00UTC'],
  Hashtags: ['#a#b', 'a#b', '#' + 'x'.repeat(5), Array.from({length: 31}, (_, i) => '#ß' + 'ss'.repeat(i % 2) + i).join(' '), Array.from({length: 31}, (_, i) => '#t' + i + '\u0301').join(','), Array.from({length: 31}, (_, i) => '#K' + i).join(' ') + ' #\u212a1', Array.from({length: 31}, (_, i) => '#𝒜' + i).join(' '), Array.from({length: 30}, (_, i) => '#t' + i).join(' ') + ' #ǅ #ǆ', Array.from({length: 30}, (_, i) => '#t' + i).join(' ') + ' #İ #i', Array.from({length: 30}, (_, i) => '#t' + i).join(' ') + ' #ﬀ #FF', Array.from({length: 31}, (_, i) => 't' + i).join('\u00a0'), Array.from({length: 31}, (_, i) => 't' + i).join('\u200b'), Array.from({length: 31}, (_, i) => 't' + i).join('\u0085')],
};
const rows = [];
for (const [col, list] of Object.entries(seeds)) for (const v of list) rows.push({ Topic: 'x', [col]: v });
for (let i = 0; i < 3000; i++) {
  const col = pick(Object.keys(seeds));
  const base = pick(seeds[col]);
  const k = rnd(4);
  const v = k === 0 ? rand(1 + rnd(8)) : k === 1 ? base + rand(1 + rnd(2)) : k === 2 ? rand(1 + rnd(2)) + base : base.slice(0, rnd(base.length + 1)) + rand(1) + base.slice(rnd(base.length + 1));
  rows.push({ Topic: col === 'Topic' ? v : 'x', [col]: v });
}

// Whole rows with several columns at once, so the order of the reasons is compared too.
for (let i = 0; i < 400; i++) {
  const row = {};
  for (const col of Object.keys(seeds)) if (rnd(2)) row[col] = rnd(3) ? pick(seeds[col]) : rand(1 + rnd(6));
  rows.push(row);
}
const input = path.join(os.tmpdir(), `vf-parity-${process.pid}.jsonl`);
fs.writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const out = execFileSync('dotnet', ['run', '--project', __dirname, '-c', 'Release', '--', input], { encoding: 'utf8', maxBuffer: 1 << 28 });
fs.rmSync(input);
const errors = out.trim().split('\n').map((l) => JSON.parse(l));
if (errors.length !== rows.length) throw new Error(`expected ${rows.length} answers, got ${errors.length}`);
fs.writeFileSync(path.join(__dirname, 'corpus.json'),
  '[\n' + rows.map((cells, i) => JSON.stringify({ cells, error: errors[i] })).join(',\n') + '\n]\n');
console.log(`corpus.json: ${rows.length} rows, ${errors.filter(Boolean).length} invalid`);
