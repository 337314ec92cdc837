// The JavaScript syntax check, run by node (tsp_utils/oracle/syntax/javascript.py): node node_check.cjs FILE...
//
// Tries each snippet as a plain script, then wrapped as a CommonJS module body / class members / object literal
// members (dataset functions are often methods cut out of a class) / an async function body, then as an ES module.
// Prints one JSON line per file: {"file":..., "ok":bool, "wrapped":bool, "line":n, "msg":...}. "wrapped": only a
// wrapper made it parse (the caller then checks that no bracket of the code closes nothing).
const fs = require('fs');
const vm = require('vm');
const Module = require('module');
function tryCompile(src, filename) {
  try { new vm.Script(src, {filename}); return null; } catch (e) { return e; }
}
function lineOf(e, filename) {
  const m = String(e.stack || '').match(new RegExp(filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ':(\\d+)'));
  return m ? parseInt(m[1], 10) : 0;
}
async function main() {
  const files = process.argv.slice(2);
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    const variants = [src, Module.wrap(src), Module.wrap('(class {\n' + src + '\n})'),
                      Module.wrap('({\n' + src + '\n})'), Module.wrap('(async () => {\n' + src + '\n})')];
    let first = null, ok = false, wrapped = false;
    for (let i = 0; i < variants.length; i++) {
      const e = tryCompile(variants[i], f);
      if (!e) { ok = true; wrapped = i > 0; break; }
      if (first === null || i === 1) first = e;  // report the CommonJS body's error: its lines are the file's
    }
    if (!ok && vm.SourceTextModule) {
      try { new vm.SourceTextModule(src, {identifier: f}); ok = true; } catch (e) {}
    }
    if (ok) { console.log(JSON.stringify({file: f, ok: true, wrapped})); continue; }
    console.log(JSON.stringify({file: f, ok: false, line: lineOf(first, f), msg: String(first.message)}));
  }
}
main();
