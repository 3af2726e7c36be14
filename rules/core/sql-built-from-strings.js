const mysql = require("mysql2/promise");

async function find(pool, req, prisma, knex) {
  // ruleid: CG-CORE006
  await pool.query(`SELECT * FROM users WHERE name = '${req.query.name}'`);
  // ruleid: CG-CORE006
  await pool.execute("DELETE FROM sessions WHERE id = " + req.params.id);
  // ruleid: CG-CORE006
  await prisma.$queryRawUnsafe(`SELECT * FROM orders WHERE user = ${req.user.id}`);
  // ruleid: CG-CORE006
  await knex.raw("select * from items where owner = '" + req.body.owner + "'");
  // ok: CG-CORE006
  await pool.query("SELECT * FROM users WHERE name = ?", [req.query.name]);
  // ok: CG-CORE006
  await prisma.$queryRaw`SELECT * FROM orders WHERE user = ${req.user.id}`;
  // ok: CG-CORE006
  await pool.query("SELECT 1");
  // ok: CG-CORE006
  const found = document.querySelector(`#item-${req.query.id}`);
  return found;
}
module.exports = { find, mysql };
