#!/usr/bin/env node
// Validates Adaptive Cards with the parser of the `adaptivecards` package, the reference implementation
// behind the Adaptive Cards designer. Teams shows a card it cannot parse as an error (or drops the parts
// it does not know), so the bot's cards are checked here before Teams ever sees them.
//
// Usage: node validate-adaptive-cards.js file.json [...]
// Each file holds one card ({"type":"AdaptiveCard",...}). Every parse event and every validation failure
// is printed as `path: severity: message`; nothing is downgraded: a warning is a finding too.
// Exit codes: 0 no findings, 1 findings, 2 no files given (a check that checks nothing must not pass).
'use strict';

const fs = require('fs');
const path = require('path');
// The package's "main" is an ES module tree Node cannot load from CommonJS; the bundle is the same code.
const AC = require('adaptivecards/dist/adaptivecards.js');

// The version Teams needs for Action.Execute (API_REFERENCE 7.5).
const requiredVersion = '1.5';

const files = process.argv.slice(2).map((f) => path.resolve(f));
if (files.length === 0) {
  console.error('usage: node validate-adaptive-cards.js card.json [...]');
  process.exit(2);
}

function check(json) {
  const findings = [];
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return ['error: the file does not hold a JSON object'];
  }
  if (json.type !== 'AdaptiveCard') {
    findings.push(`error: "type" is ${JSON.stringify(json.type)}, not "AdaptiveCard"`);
  }
  if (json.version !== requiredVersion) {
    findings.push(`error: "version" is ${JSON.stringify(json.version)}; Teams needs "${requiredVersion}" for Action.Execute`);
  }

  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    findings.push(`parse ${AC.ValidationEvent[e.event] || e.event}: ${e.message}`);
  }
  const results = card.validateProperties();
  for (const e of results.validationEvents) {
    findings.push(`validation ${AC.ValidationEvent[e.event] || e.event}: ${e.message}`);
  }
  return findings;
}

let problems = 0;
for (const file of files) {
  let findings;
  try {
    findings = check(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    findings = [`error: ${e.message}`];
  }
  for (const f of findings) {
    problems++;
    console.log(`${file}: ${f}`);
  }
}

console.log(`${files.length} card(s) checked, ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
