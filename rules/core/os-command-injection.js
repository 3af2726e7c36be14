const { exec, execSync, spawn } = require("child_process");
const cp = require("node:child_process");

function run(req, file) {
  // ruleid: CG-CORE007
  exec(`git log ${req.query.branch}`, (err, out) => console.log(out));
  // ruleid: CG-CORE007
  cp.execSync("convert " + file + " out.png");
  // ruleid: CG-CORE007
  spawn(req.body.cmd, { shell: true });
  // ok: CG-CORE007
  spawn("git", ["log", req.query.branch]);
  // ok: CG-CORE007
  execSync("git status");
  // ok: CG-CORE007
  spawn(req.body.cmd, { shell: false });
  for (const python of ["python3", "python"]) {
    // ok: CG-CORE007
    execSync(`${python} --version`);
  }
  // A list the code picks by platform is still the code's own.
  const pythons = process.platform === "win32" ? ["python", "py"] : ["python3", "python"];
  for (const python of pythons) {
    // ok: CG-CORE007
    execSync(`${python} --version`);
  }
  for (const tool of [req.query.tool, "git"]) {
    // ruleid: CG-CORE007
    execSync(`${tool} --version`);
  }
  // ok: CG-CORE007
  const regex = /a/.exec(file);
  return regex;
}
