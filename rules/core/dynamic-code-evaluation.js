const vm = require("node:vm");

function handle(req, model) {
  // ruleid: CG-CORE008
  const limit = eval(req.query.limit);
  // ruleid: CG-CORE008
  const fn = new Function("x", req.body.code);
  // ruleid: CG-CORE008
  vm.runInNewContext(req.body.script, {});
  // ruleid: CG-CORE008
  setTimeout("render(" + req.query.id + ")", 10);
  // ok: CG-CORE008
  model.eval();
  // ok: CG-CORE008
  eval("1 + 1");
  // ok: CG-CORE008
  setTimeout(() => render(req.query.id), 10);
  // ok: CG-CORE008
  const parsed = JSON.parse(req.body.data);
  return [limit, fn, parsed];
}
