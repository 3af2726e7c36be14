import { runInThisContext } from "vm";

export function run(code: string): unknown {
  // ruleid: CG-CORE008
  return runInThisContext(code);
}

export function fixed(): unknown {
  // ok: CG-CORE008
  return runInThisContext("globalThis");
}
