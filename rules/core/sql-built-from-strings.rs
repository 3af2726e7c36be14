async fn purge(pool: &PgPool, conn: &rusqlite::Connection, uid: &str) -> anyhow::Result<()> {
    // ruleid: CG-CORE006
    sqlx::query(&format!("DELETE FROM sessions WHERE user_id = '{uid}'")).execute(pool).await?;
    let sql = format!("SELECT * FROM users WHERE id = {}", uid);
    // ruleid: CG-CORE006
    conn.execute(&sql, [])?;

    // ok: CG-CORE006
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(uid).execute(pool).await?;
    // ok: CG-CORE006
    conn.execute("DELETE FROM t WHERE id = ?1", [uid])?;
    // ok: CG-CORE006
    let msg = format!("deleted {uid}");
    Ok(())
}
