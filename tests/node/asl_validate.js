// Validates state machine definitions with asl-validator (pinned in package.json).
// Usage: node asl_validate.js [--known-defects FILE] FILE...
// A FILE is either an ASL definition (*.asl.json) or a CloudFormation template (*.template.json)
// whose AWS::StepFunctions::StateMachine resources carry `Definition` (an object) or
// `DefinitionString` (a string, or an Fn::Join whose non-string parts are intrinsic functions:
// each is rendered as the placeholder text "X", which never stands where JSON syntax matters
// because orchc only joins intrinsics inside JSON strings).
// --known-defects FILE: lines "<basename>[#<resource>]  <reason>"; such definitions must FAIL
// (so the list shrinks when the compiler is fixed), and are reported, not counted as errors.
// Exit 0 when every other definition is valid and every listed one still fails.
'use strict';
const fs = require('fs');
const path = require('path');
const validator = require('asl-validator');

function render(value, where) {
  if (typeof value === 'string') return value;
  if (value && Array.isArray(value['Fn::Join']) && value['Fn::Join'][0] === '') {
    return value['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'X')).join('');
  }
  throw new Error(`${where}: DefinitionString is neither a string nor an Fn::Join`);
}

// Returns [{name, definition}] for one file.
function definitionsOf(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const base = path.basename(file);
  if (!doc.Resources) return [{name: base, definition: doc}];
  const out = [];
  for (const [id, res] of Object.entries(doc.Resources)) {
    if (res.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const p = res.Properties || {};
    const name = `${base}#${id}`;
    if (p.Definition !== undefined) {
      out.push({name, definition: p.Definition});
    } else if (p.DefinitionString !== undefined) {
      out.push({name, definition: JSON.parse(render(p.DefinitionString, name))});
    } else {
      throw new Error(`${name}: no Definition or DefinitionString`);
    }
  }
  if (out.length === 0) throw new Error(`${file}: a template without a state machine`);
  return out;
}

const args = process.argv.slice(2);
const known = new Map();
if (args[0] === '--known-defects') {
  for (const line of fs.readFileSync(args[1], 'utf8').split('\n')) {
    const m = line.match(/^([^#\s][^\s]*)\s+(.*)$/);
    if (m) known.set(m[1], m[2]);
  }
  args.splice(0, 2);
}
let valid = 0;
let failures = 0;
const seenKnown = new Set();
for (const file of args) {
  for (const {name, definition} of definitionsOf(file)) {
    const result = validator(definition, {checkArn: true, checkPaths: true});
    const key = known.has(name) ? name : known.has(name.split('#')[0]) ? name.split('#')[0] : null;
    if (key) {
      seenKnown.add(key);
      if (result.isValid) {
        console.error(`${file}: ${name} is valid now but listed as a known defect: remove it from the list`);
        failures++;
      } else {
        console.log(`known defect: ${name}: ${known.get(key)}\n  ${result.errorsText('\n  ')}`);
      }
    } else if (result.isValid) {
      valid++;
    } else {
      console.error(`${file}: ${name} is invalid:\n  ${result.errorsText('\n  ')}`);
      failures++;
    }
  }
}
for (const key of known.keys()) {
  if (!seenKnown.has(key)) {
    console.error(`known defect ${key} matched no definition checked`);
    failures++;
  }
}
console.log(`asl-validator: ${valid} definitions valid, ${failures} failures, ${seenKnown.size} known defects`);
process.exit(failures === 0 ? 0 : 1);
