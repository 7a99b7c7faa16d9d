// Renders the bench's short with Remotion's Node renderer, pointed at Debian's Chromium (Remotion cannot download its
// headless shell here). Usage:
//   node render.mjs --background BG.mp4 --narration N.wav --music M.wav --words WORDS.json --seconds 30 --out OUT.mp4
// WORDS.json is [[word, start, end], ...] in seconds. Prints the bundle and render times on stdout.
import {bundle} from '@remotion/bundler';
import {renderMedia, selectComposition} from '@remotion/renderer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
for (const name of ['background', 'narration', 'music', 'words', 'out']) {
  if (!args[name]) throw new Error(`--${name} is required`);
}

const here = path.dirname(fileURLToPath(import.meta.url));
// The inputs go into the bundle's public folder so the composition reaches them through staticFile(). Hard links where
// they can be (the bundler copies the folder and skips symlinks), copies across file systems.
const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vf-remotion-public-'));
for (const [name, file] of [['background.mp4', args.background], ['narration.wav', args.narration], ['music.wav', args.music]]) {
  try {
    fs.linkSync(path.resolve(file), path.join(publicDir, name));
  } catch {
    fs.copyFileSync(path.resolve(file), path.join(publicDir, name));
  }
}

const browserExecutable = process.env.REMOTION_CHROMIUM ?? '/usr/bin/chromium';
// Debian's Chromium is a full browser: chrome-for-testing mode makes Remotion start it with --headless=new (old headless
// is gone from Chromium 132 on). Remotion always adds --no-sandbox; 'swangle' is its software GL (no GPU here).
const common = {browserExecutable, chromeMode: 'chrome-for-testing', chromiumOptions: {gl: 'swangle'}, logLevel: process.env.REMOTION_LOG ?? 'warn'};
const inputProps = {words: JSON.parse(fs.readFileSync(args.words, 'utf8')).map(([w, s, e]) => [w, Number(s), Number(e)]), seconds: Number(args.seconds ?? 30), musicVolume: 0.25};

const started = performance.now();
try {
  const serveUrl = await bundle({entryPoint: path.join(here, 'src', 'index.jsx'), publicDir});
  const bundled = performance.now();
  const composition = await selectComposition({serveUrl, id: 'Short', inputProps, ...common});
  await renderMedia({
    composition,
    serveUrl,
    codec: 'h264',
    outputLocation: path.resolve(args.out),
    inputProps,
    ...common,
    // Remotion's own defaults (concurrency: half the cores, x264 at its default preset, crf 18).
  });
  const done = performance.now();
  console.log(`remotion: bundle ${((bundled - started) / 1000).toFixed(1)} s, render ${((done - bundled) / 1000).toFixed(1)} s, total ${((done - started) / 1000).toFixed(1)} s`);
} finally {
  fs.rmSync(publicDir, {recursive: true, force: true});
}
