#!/usr/bin/env node
// Validates every Dockerfile in the repository with dockerfile-utils, the validator behind VS Code's
// Docker support. There is no Docker engine (and no hadolint) where the tests run, so this is what
// catches a Dockerfile that `docker build` would refuse before Cloud Build does.
//
// Usage: node lint-dockerfiles.js [file ...]   (no files: every Dockerfile under the repository root)
// Exit codes: 0 no problems, 1 problems (each printed as path:line:column: severity: message),
// 2 nothing to check (a lint that finds no files must not pass silently).
'use strict';

const fs = require('fs');
const path = require('path');
const { validate, ValidationSeverity } = require('dockerfile-utils');

const root = path.resolve(__dirname, '..', '..');

// Folders that hold build output, tools or local state, never a Dockerfile of ours.
const skipped = new Set(['.git', '.vf', 'bin', 'obj', 'node_modules', 'TestResults']);

// Everything the validator can flag, flagged as an error: a house rule is not a suggestion.
const settings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

function isDockerfile(name) {
  return name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.Dockerfile');
}

function findDockerfiles(folder, found) {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skipped.has(entry.name)) {
        findDockerfiles(path.join(folder, entry.name), found);
      }
    } else if (entry.isFile() && isDockerfile(entry.name)) {
      found.push(path.join(folder, entry.name));
    }
  }
  return found;
}

// LSP severities: 1 error, 2 warning, 3 information, 4 hint.
const severityNames = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => path.resolve(f))
  : findDockerfiles(root, []).sort();

if (files.length === 0) {
  console.error(`no Dockerfiles found under ${root}`);
  process.exit(2);
}

let problems = 0;
for (const file of files) {
  const diagnostics = validate(fs.readFileSync(file, 'utf8'), settings)
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const relative = path.relative(root, file);
  const shown = relative.startsWith('..') ? file : relative;
  for (const d of diagnostics) {
    problems++;
    const line = d.range.start.line + 1;
    const column = d.range.start.character + 1;
    console.log(`${shown}:${line}:${column}: ${severityNames[d.severity] || 'problem'}: ${d.message}`);
  }
}

console.log(`${files.length} Dockerfile(s) checked, ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
