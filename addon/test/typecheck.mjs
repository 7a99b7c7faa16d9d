// Type-checks the server code against @types/google-apps-script. tsc only reads .js/.ts files, so the .gs files are
// copied as .js (same names, same line numbers) into .typecheck/, and tsc's messages are pointed back at the .gs files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const addon = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(addon, '.typecheck');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);
const files = fs.readdirSync(addon).filter((f) => f.endsWith('.gs'));
for (const f of files) fs.copyFileSync(path.join(addon, f), path.join(out, f.replace(/\.gs$/, '.js')));
fs.writeFileSync(path.join(out, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', include: ['*.js'] }, null, 2));

const tsc = path.join(addon, 'node_modules', 'typescript', 'bin', 'tsc');
const run = spawnSync(process.execPath, [tsc, '-p', path.join(out, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
const text = (run.stdout + run.stderr).replace(/(?:\.typecheck\/)?([A-Za-z]+)\.js\((\d+)/g, '$1.gs($2');
process.stdout.write(text && !text.endsWith('\n') ? text + '\n' : text);
if (run.status !== 0) {
  console.error(`type-check failed (tsc exit ${run.status})`);
  process.exit(1);
}
console.log(`type-check: ${files.length} files, no errors`);
