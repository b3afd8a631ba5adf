// Reads Mermaid flowcharts with Mermaid's own parser (headless, under jsdom) and prints, as one
// JSON object keyed by file, what the parser understood: vertices (id, shape type, text with
// Mermaid's entity codes decoded), edges (start, end, label, stroke) and subgraphs (id, title,
// members). A file Mermaid rejects is reported with its error and makes the exit status 1.
//   node mermaid_read.mjs FILE...
import fs from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// Mermaid keeps "#quot;" as "ﬂ°quot¶ß" (and "#35;" as "ﬂ°°35¶ß") until it renders, where the
// codes become HTML entities; do the same, then let the DOM decode the entities.
const scratch = dom.window.document.createElement('textarea');
function decode(text) {
  const html = text.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  scratch.innerHTML = html;
  return scratch.value;
}

const result = {};
let failed = false;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    result[file] = {
      type: diagram.type,
      vertices: [...db.getVertices().values()].map((v) => ({
        id: v.id,
        type: v.type,
        // Lines are split at <br> before decoding, so a decoded "<br>" stays text.
        lines: v.text.split(/<br\s*\/?>/).map(decode),
      })),
      edges: db.getEdges().map((e) => ({
        start: e.start, end: e.end, label: decode(e.text ?? ''), stroke: e.stroke,
      })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: decode(s.title), nodes: s.nodes })),
    };
  } catch (e) {
    failed = true;
    result[file] = { error: String(e && e.message ? e.message : e) };
  }
}
// Exit only once the whole text is written: process.exit() right after a large write to a pipe
// cuts the output short.
process.stdout.write(JSON.stringify(result, null, 1) + '\n', () => process.exit(failed ? 1 : 0));
